"""The JavaScript/TypeScript access-control checks (scanners/ts_checks/js_access.py): what the
annotated rule test files (`rulesets/treesitter/javascript/missing-auth-sibling.js`,
`client-route-without-guard.js`) cannot show — TypeScript-only syntax (typed `Routes`, NestJS
parameter decorators), TSX, the gate on a server framework import, the auth vocabulary, aliases
imported from an auth module, and what the messages say.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewbot.scanners.treesitter import TreeSitterScanner, builtin_rules_dir
from reviewbot.scanners.ts_checks.js_auth import is_auth_name

MISSING_AUTH = "javascript.authz.missing-auth-sibling"
CLIENT_ROUTE = "javascript.authz.client-route-without-guard"


@pytest.fixture(scope="module")
def scanner() -> TreeSitterScanner:
    return TreeSitterScanner(builtin_rules_dir())


def scan(scanner: TreeSitterScanner, tmp_path: Path, name: str, source: str) -> list[tuple[str, int, str]]:
    (tmp_path / name).write_text(source, encoding="utf-8")
    out = scanner.scan(tmp_path, [name])
    assert not out.warnings, out.warnings
    return sorted((m.rule_id, m.start_line, m.message) for m in out.matches if ".authz." in m.rule_id)


ROUTES = """
app.get("/api/items", auth.isAuthorized(), listItems);
app.post("/api/items", createItem);
"""


@pytest.mark.parametrize(
    "name",
    [
        "isAuthorized", "isAuthenticated", "authenticate", "passport.authenticate", "ensureLoggedIn",
        "requiresAuth", "requireAuth", "requireLogin", "checkJwt", "verifyToken", "authJwt.verifyToken",
        "authenticateToken", "verifyJWT", "protect", "authController.protect", "restrictTo", "isAdmin",
        "adminOnly", "hasRole", "checkRole", "authorize", "checkPermissions", "keycloak.protect",
        "fastify.authenticate", "fastify.auth", "ClerkExpressRequireAuth", "verifySession", "requireUser",
        "denyAll", "security.denyAll", "andRestrictTo", "andRestrictToSelf", "auth", "authMiddleware", "jwtCheck",
        "loginRequired", "requireSignin", "withAuth", "withApiAuthRequired", "Auth", "Roles",
        "express-jwt.expressjwt", "./middleware/auth.check", "auth.required", "./auth.required",
        "../middleware/authentication", "./guards/jwt.js.strategy",
    ],
)  # fmt: skip
def test_the_auth_vocabulary_takes_what_projects_write(name: str) -> None:
    assert is_auth_name(name), name


@pytest.mark.parametrize(
    "name",
    [
        "updateAuthenticatedUsers", "jwtChallenges", "authRoutes", "authRouter", "authController.login",
        "csrfProtection", "loginLimiter", "validateUser", "validateOrder", "upload.single", "bodyParser.json",
        "passport.initialize", "passport.session", "appendUserId", "getAuthor", "cors", "./routes/auth",
        "./middleware/upload.check", "createItem", "withSession", "utils.asyncHandler",
        "auth.optional", "./auth.optional", "auth.login",
    ],
)  # fmt: skip
def test_the_auth_vocabulary_leaves_out_look_alikes(name: str) -> None:
    assert not is_auth_name(name), name


def test_a_file_without_a_server_framework_import_is_not_looked_at(scanner: TreeSitterScanner, tmp_path: Path) -> None:
    with_import = scan(scanner, tmp_path, "routes.js", 'const express = require("express");\n' + ROUTES)
    assert [(r, line) for r, line, _ in with_import] == [(MISSING_AUTH, 4)]
    without = scan(scanner, tmp_path, "routes.js", 'const mylib = require("mylib");\n' + ROUTES)
    assert without == []


def test_the_message_names_the_route_and_the_guarded_sibling(scanner: TreeSitterScanner, tmp_path: Path) -> None:
    ((_, _, message),) = scan(scanner, tmp_path, "routes.ts", 'import express from "express";\n' + ROUTES)
    assert message.startswith("`POST /api/items` on `app` has no authentication/authorization middleware")
    assert "1 route(s) on the same path, or one above or below it, have one (`GET /api/items`: " in message
    assert "`auth.isAuthorized()`)" in message


@pytest.mark.parametrize(
    ("module", "expected"),
    [("./middleware/auth", []), ("./middleware/upload", [4])],
)
def test_a_middleware_is_auth_by_the_module_it_is_imported_from(
    module: str, expected: list[int], scanner: TreeSitterScanner, tmp_path: Path
) -> None:
    # `mw` says nothing by its name; where it comes from does.
    source = f"""import {{ Router }} from "express";
import {{ check as mw }} from "{module}";
router.get("/notes", requireLogin, listNotes);
router.post("/notes", mw, addNote);
"""
    assert [line for _, line, _ in scan(scanner, tmp_path, "notes.ts", source)] == expected


def test_a_scoped_use_covers_only_its_prefix(scanner: TreeSitterScanner, tmp_path: Path) -> None:
    source = """const express = require("express");
app.get("/API", requireLogin, index);
app.use("/api/admin", requireAdmin);
app.post("/api/admin/users", createUser);
app.post("/api/admins-list", createList);
app.post("/api/Admin", updateAdminPage);
"""
    assert [line for _, line, _ in scan(scanner, tmp_path, "app.js", source)] == [5]


def test_only_guarded_routes_of_the_same_resource_count(scanner: TreeSitterScanner, tmp_path: Path) -> None:
    # The same path, one above (`/api/orders` for `/api/orders/:id/cancel`) or below it; a guarded
    # route elsewhere in the app says nothing about `/api/feedback`.
    source = """const express = require("express");
app.get("/api/orders/:id", requireLogin, showOrder);
app.post("/api/orders/:id/cancel", cancelOrder);
app.delete("/api/orders", clearOrders);
app.post("/api/feedback", sendFeedback);
"""
    found = scan(scanner, tmp_path, "app.js", source)
    assert [line for _, line, _ in found] == [3, 4]
    assert "1 route(s) on the same path, or one above or below it, have one" in found[0][2]


def test_nestjs_in_typescript_with_parameter_decorators(scanner: TreeSitterScanner, tmp_path: Path) -> None:
    source = """import { Body, Controller, Delete, Get, Param, Post, UseGuards } from "@nestjs/common";
import { AuthGuard } from "@nestjs/passport";

@Controller("orders")
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Get(":id")
  @UseGuards(AuthGuard("jwt"))
  findOne(@Param("id") id: string): Promise<Order> {
    return this.orders.findOne(id);
  }

  @Post()
  create(@Body() dto: CreateOrderDto): Promise<Order> {
    return this.orders.create(dto);
  }

  @Delete(":id")
  @Roles("admin")
  remove(@Param("id") id: string): Promise<void> {
    return this.orders.remove(id);
  }
}
"""
    found = scan(scanner, tmp_path, "orders.controller.ts", source)
    assert [(r, line) for r, line, _ in found] == [(MISSING_AUTH, 15)]
    assert found[0][2].startswith("`create` takes POST requests with no `@UseGuards` or auth decorator")
    assert "`findOne`: `@UseGuards`" in found[0][2]


def test_a_typed_routes_array_is_a_routes_array(scanner: TreeSitterScanner, tmp_path: Path) -> None:
    # No RouterModule call in the file: the `Routes` type says what the array is.
    source = """import { Routes } from "@angular/router";

export const routes: Routes = [
  { path: "admin", component: AdminComponent, canActivate: [AdminGuard] },
  { path: "orders", component: OrdersComponent },
];
const menu: MenuItem[] = [
  { path: "admin", canActivate: [] },
  { path: "orders" },
];
"""
    found = scan(scanner, tmp_path, "app.routes.ts", source)
    assert [(r, line) for r, line, _ in found] == [(CLIENT_ROUTE, 5)]
    assert "The route `orders` has no canActivate/canMatch guard" in found[0][2]
    assert "(`admin`: canActivate)" in found[0][2]


def test_routes_in_a_tsx_file(scanner: TreeSitterScanner, tmp_path: Path) -> None:
    source = """import express from "express";
import { renderToString } from "react-dom/server";

const Page = ({ title }: { title: string }) => <h1>{title}</h1>;
app.get("/", requireAuth, (req, res) => res.send(renderToString(<Page title="home" />)));
app.post("/api/items", (req, res) => res.send(renderToString(<Page title={req.body.t} />)));
"""
    assert [(r, line) for r, line, _ in scan(scanner, tmp_path, "server.tsx", source)] == [(MISSING_AUTH, 6)]


def test_a_path_built_from_a_name_is_not_a_path_known_here(scanner: TreeSitterScanner, tmp_path: Path) -> None:
    # `${base}` could be anything: no resource to compare; a literal start is one.
    source = """const express = require("express");
app.get("/api/v1/items", requireLogin, listItems);
app.post(`${base}/items`, createItem);
app.post(`/api/v1/items/${kind}`, createKind);
"""
    assert [line for _, line, _ in scan(scanner, tmp_path, "app.js", source)] == [4]
