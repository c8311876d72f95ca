"""The module-level access-control checks (scanners/ts_checks/access.py over handlers.py): what
the annotated rule test files cannot show — that a module importing no web framework is never
looked at, that each framework's handler shapes are found, and what the messages say.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewbot.scanners.treesitter import TreeSitterScanner, builtin_rules_dir

MISSING_AUTH = "python.authz.missing-auth-sibling"
IDOR = "python.authz.unscoped-object-lookup"
RATE_LIMIT = "python.authn.login-without-rate-limit"

GUARDED_AND_NOT = """
@app.route("/a", methods=["GET"])
@login_required
def show():
    return "a"


@app.route("/b", methods=["POST"])
def change():
    db.session.add(Item(name=request.form["name"]))
    db.session.commit()
"""


@pytest.fixture(scope="module")
def scanner() -> TreeSitterScanner:
    return TreeSitterScanner(builtin_rules_dir())


def scan(scanner: TreeSitterScanner, tmp_path: Path, source: str) -> list[tuple[str, int, str]]:
    (tmp_path / "views.py").write_text(source, encoding="utf-8")
    out = scanner.scan(tmp_path, ["views.py"])
    assert not out.warnings, out.warnings
    return sorted((m.rule_id, m.start_line, m.message) for m in out.matches)


def test_a_module_without_a_web_framework_import_has_no_handlers(scanner: TreeSitterScanner, tmp_path: Path) -> None:
    # The same routes with the framework import: reported; without it (a library with an `app`
    # object and a `route` decorator of its own): nothing.
    with_import = scan(scanner, tmp_path, "from flask import request\n" + GUARDED_AND_NOT)
    assert [(r, line) for r, line, _ in with_import] == [(MISSING_AUTH, 10)]
    without = scan(scanner, tmp_path, "from mylib import request\n" + GUARDED_AND_NOT)
    assert without == []


def test_the_message_names_the_verbs_and_the_guarded_sibling(scanner: TreeSitterScanner, tmp_path: Path) -> None:
    ((_, _, message),) = scan(scanner, tmp_path, "from flask import request\n" + GUARDED_AND_NOT)
    assert message.startswith("`change` takes POST requests with no authentication check")
    assert "1 other handler(s)" in message and "`show`: `@login_required`" in message


def test_tornado_handlers_and_the_authenticated_decorator(scanner: TreeSitterScanner, tmp_path: Path) -> None:
    source = """import tornado.web


class ProfileHandler(tornado.web.RequestHandler):
    @tornado.web.authenticated
    def get(self):
        self.write("me")


class LookupHandler(tornado.web.RequestHandler):
    def post(self):
        self.write(os.popen("nslookup " + self.get_argument("host")).read())
"""
    assert [(r, line) for r, line, _ in scan(scanner, tmp_path, source)] == [(MISSING_AUTH, 11)]


def test_aiohttp_function_views_and_a_method_test_in_the_body(scanner: TreeSitterScanner, tmp_path: Path) -> None:
    source = """from aiohttp import web


@authorize()
async def logout(request):
    raise web.HTTPFound("/")


async def students(request):
    if request.method == "POST":
        data = await request.post()
        await Student.create(data["name"])
    return {}


async def listing(request):
    return {}
"""
    assert [(r, line) for r, line, _ in scan(scanner, tmp_path, source)] == [(MISSING_AUTH, 9)]


def test_a_fastapi_dependency_counts_as_a_check(scanner: TreeSitterScanner, tmp_path: Path) -> None:
    source = """from fastapi import Depends, FastAPI

app = FastAPI()


@app.get("/me")
def me(user=Depends(get_current_user)):
    return user


@app.post("/items")
def add(item: dict, user=Depends(get_current_user)):
    db.add(item)
    db.commit()


@app.delete("/items/{item_id}", dependencies=[Depends(require_admin)])
def remove(item_id: int):
    db.delete(item_id)
"""
    assert scan(scanner, tmp_path, source) == []


def test_an_idor_is_reported_on_the_lookup_and_names_the_id(scanner: TreeSitterScanner, tmp_path: Path) -> None:
    source = """from flask import request


@bp.route("/password", methods=["POST"])
@token_required
def update_password(current_user):
    data = request.get_json()
    user_id = data.get("user_id")
    user = User.query.get(user_id)
    user.set_password(data.get("new_password"))
"""
    ((rule, line, message),) = scan(scanner, tmp_path, source)
    assert (rule, line) == (IDOR, 9)
    assert "loads an object by `user_id` from the request" in message


def test_a_limiter_anywhere_in_the_module_silences_the_rate_limit_check(
    scanner: TreeSitterScanner, tmp_path: Path
) -> None:
    login = """

@app.route("/login", methods=["POST"])
def login():
    user = User.query.filter_by(name=request.form["name"]).first()
    return user.check_password(request.form["password"])
"""
    assert [(r, line) for r, line, _ in scan(scanner, tmp_path, "from flask import request\n" + login)] == [
        (RATE_LIMIT, 5)
    ]
    limited = "from flask import request\nfrom flask_limiter import Limiter\n" + login
    assert scan(scanner, tmp_path, limited) == []


ADMIN_ROLE = "python.authz.admin-handler-without-role-check"
FLASK_ADMIN = """from flask import Blueprint, abort, request
from flask_login import current_user, login_required

bp = Blueprint("panel", __name__)


@bp.route("/admin/users/<int:uid>/delete", methods=["POST"])
@login_required
def delete_user(uid):
    User.query.filter_by(id=uid).delete()
    return "ok"
"""


def test_an_admin_route_path_names_the_admin_area_and_the_message_names_the_login_check(
    scanner: TreeSitterScanner, tmp_path: Path
) -> None:
    ((rule, line, message),) = [f for f in scan(scanner, tmp_path, FLASK_ADMIN) if f[0] == ADMIN_ROLE]
    assert (rule, line) == (ADMIN_ROLE, 9)  # the `def` line
    assert message.startswith("`delete_user` serves the admin area") and "`@login_required`" in message


def test_a_before_request_hook_with_a_role_check_covers_the_module(scanner: TreeSitterScanner, tmp_path: Path) -> None:
    hook = """

@bp.before_request
def only_admins():
    if not current_user.is_admin:
        abort(403)
"""
    assert [f for f in scan(scanner, tmp_path, FLASK_ADMIN + hook) if f[0] == ADMIN_ROLE] == []
    # a hook that checks nothing about the role does not
    login_only = "\n\n@bp.before_request\ndef count():\n    request.count = 1\n"
    assert [f[0] for f in scan(scanner, tmp_path, FLASK_ADMIN + login_only) if f[0] == ADMIN_ROLE] == [ADMIN_ROLE]


def test_an_admin_login_page_and_a_role_decorator_are_not_reported(scanner: TreeSitterScanner, tmp_path: Path) -> None:
    source = FLASK_ADMIN.replace("@login_required\n", "@login_required\n@admin_required\n")
    source += '\n\n@bp.route("/admin/login", methods=["POST"])\n@login_required\ndef admin_login():\n    return "x"\n'
    assert [f for f in scan(scanner, tmp_path, source) if f[0] == ADMIN_ROLE] == []
