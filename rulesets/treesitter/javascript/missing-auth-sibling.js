// Test cases for missing-auth-sibling.yaml (annotations as in semgrep --test).
// Valid JavaScript, TypeScript and TSX: the rule tests scan it under all three.
import guard from "../middleware/authentication";
import { Controller, Get, Post, Put, Delete, UseGuards } from "@nestjs/common";

const express = require("express");
const passport = require("passport");
const jwt = require("express-jwt");
const { requireAuth: mustBeSignedIn } = require("./middleware/session");
const auth = require("./auth");

const app = express();

app.get("/api/items", auth.isAuthenticated(), listItems);
// ruleid: javascript.authz.missing-auth-sibling
app.post("/api/items", createItem);
// ok: javascript.authz.missing-auth-sibling
app.put("/api/items/:id", auth.isAuthorized(), updateItem);
// ok: javascript.authz.missing-auth-sibling
app.get("/api/items/:id", showItem);
// ruleid: javascript.authz.missing-auth-sibling
app.delete("/api/items/:id", (req, res) => {
  db.remove(req.params.id);
  res.sendStatus(204);
});
// ok: javascript.authz.missing-auth-sibling
app.post("/api/login", passport.authenticate("local"), login);
// ok: javascript.authz.missing-auth-sibling
app.post("/api/register", createAccount);
app.patch("/api/notes/:id", jwt({ secret: key, algorithms: ["HS256"] }));
// ok: javascript.authz.missing-auth-sibling
app.patch("/api/notes/:id", updateNote);
app.use("/api/admin", isAdmin);
// ok: javascript.authz.missing-auth-sibling
app.post("/api/admin/users", createUser);
app.get("/api/administrators", auth.isAuthenticated(), listAdministrators);
// `/api/admin` does not cover `/api/administrators`.
// ruleid: javascript.authz.missing-auth-sibling
app.post("/api/administrators", createAdministrator);
// No guarded route on this path, above or below it: another area of the app.
// ok: javascript.authz.missing-auth-sibling
app.post("/api/newsletter/subscriptions", subscribe);
// ok: javascript.authz.missing-auth-sibling
app.post("/api/orders", [verifyToken, validateOrder], createOrder);
// ok: javascript.authz.missing-auth-sibling
app.post("/api/comments", guard, createComment);
// ok: javascript.authz.missing-auth-sibling
app.delete("/api/comments/:id", mustBeSignedIn, deleteComment);
// ruleid: javascript.authz.missing-auth-sibling
app.put("/api/comments/:id", validateComment, updateComment);
// ok: javascript.authz.missing-auth-sibling
app.patch("/api/comments/:id", validateComment, withAuth(patchComment));
// ruleid: javascript.authz.missing-auth-sibling
app.post("/api/comments/:id/flags", validateComment, asyncHandler(flagComment));
// ok: javascript.authz.missing-auth-sibling
app.put("/api/csrf-checked", csrfProtection, updateSomething);
app
  .route("/api/tags/:id")
  .get(auth.isAuthenticated(), showTag)
  // ruleid: javascript.authz.missing-auth-sibling
  .put(updateTag)
  // ok: javascript.authz.missing-auth-sibling
  .delete(auth.isAuthorized(), deleteTag);
app.get("/api/sync/status", auth.isAuthenticated(), syncStatus);
// ruleid: javascript.authz.missing-auth-sibling
app.all("/api/sync", sync);
app
  .route("/api/boards/:id")
  .all(requireAuth)
  // ok: javascript.authz.missing-auth-sibling
  .put(updateBoard);
app.get("/api/stats", auth.isAuthenticated(), showStats);
// Bookkeeping about signed-in users is not a check on the caller.
// ruleid: javascript.authz.missing-auth-sibling
app.post("/api/stats", updateAuthenticatedUsers(), recordStats);

// `all` with a lone auth middleware guards the paths under it.
app.all("/api/private/*", requireAuthentication);
app.get("/api/private/notes", auth.isAuthenticated(), listPrivateNotes);
// ok: javascript.authz.missing-auth-sibling
app.post("/api/private/notes", addPrivateNote);

// A router mounted behind an auth middleware is covered as a whole.
const adminRouter = express.Router();
adminRouter.get("/users", auth.isAuthenticated(), listUsers);
// ok: javascript.authz.missing-auth-sibling
adminRouter.delete("/users/:id", removeUser);
app.use("/admin", requireAdmin, adminRouter);

// All of this router's routes are public: nothing to compare with.
const site = express.Router();
// ok: javascript.authz.missing-auth-sibling
site.post("/contact", sendMessage);
site.get("/faq", faq);

// A pathless auth `use`: the routes after it are covered, the ones before it public by placement.
const account = express.Router();
// ok: javascript.authz.missing-auth-sibling
account.post("/newsletter", subscribe);
account.use(requireAuth);
account.get("/profile", auth.isAuthenticated(), showProfile);
// ok: javascript.authz.missing-auth-sibling
account.put("/profile", updateProfile);

const fastify = require("fastify")();
fastify.get("/api/files", { onRequest: [fastify.authenticate] }, listFiles);
// ruleid: javascript.authz.missing-auth-sibling
fastify.post("/api/files", { schema: uploadSchema }, upload);
// ok: javascript.authz.missing-auth-sibling
fastify.post("/api/files/report", { preHandler: [fastify.auth([fastify.verifyJWT])] }, report);
// ruleid: javascript.authz.missing-auth-sibling
fastify.route({ method: "DELETE", url: "/api/files/:id", handler: removeFile });

const Router = require("@koa/router");
const koa = new Router();
koa.get("/k/posts", requireLogin, listPosts);
// ruleid: javascript.authz.missing-auth-sibling
koa.post("/k/posts", createPost);
// ok: javascript.authz.missing-auth-sibling
koa.del("post", "/k/posts/:id", requireLogin, deletePost);

// HTTP clients, not routes, even beside a guarded call on the same client.
axios.post("/api/session", credentials, requireAuth);
// ok: javascript.authz.missing-auth-sibling
axios.post("/api/items", payload, options);
// ok: javascript.authz.missing-auth-sibling
this.http.put("/api/items/1", payload, options);

@Controller("cats")
class CatsController {
  @Get()
  @UseGuards(AuthGuard("jwt"))
  findAll() {
    return [];
  }

  @Post()
  // ruleid: javascript.authz.missing-auth-sibling
  create() {
    return 1;
  }

  @Delete(":id")
  @UseGuards(RolesGuard)
  // ok: javascript.authz.missing-auth-sibling
  remove() {
    return 1;
  }

  @Public()
  @Post("feedback")
  // ok: javascript.authz.missing-auth-sibling
  feedback() {
    return 1;
  }

  @Get("open")
  // ok: javascript.authz.missing-auth-sibling
  open() {
    return 1;
  }
}

@Controller("dogs")
@UseGuards(AuthGuard("jwt"))
class DogsController {
  @Post()
  // ok: javascript.authz.missing-auth-sibling
  create() {
    return 1;
  }

  @Put(":id")
  @UseGuards(RolesGuard)
  update() {
    return 1;
  }
}
