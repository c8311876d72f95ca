// Test cases for securecookie.yaml (annotations as in semgrep --test).
function login(req, res, token) {
  // ruleid: javascript.securecookie.cookie-flag-disabled
  res.cookie("token", token, { httpOnly: true, secure: true });
  // ruleid: javascript.securecookie.cookie-flag-disabled
  app.use(session({ secret: process.env.S, cookie: { secure: true } }));
  // ok: javascript.securecookie.cookie-flag-disabled
  res.cookie("token", token, { httpOnly: true, secure: true });

  // ruleid: javascript.securecookie.cookie-without-httponly
  res.cookie("session", token);
  // ruleid: javascript.securecookie.cookie-without-httponly
  res.cookie("session", token, { secure: true });
  // ok: javascript.securecookie.cookie-without-httponly
  res.cookie("session", token, { httpOnly: true, secure: true, sameSite: "lax" });
  // ok: javascript.securecookie.cookie-without-httponly
  res.cookie("session", token, { ...COOKIE_OPTIONS });
}

const expressSession = require("express-session");
// ruleid: javascript.securecookie.cookie-flag-disabled
app.use(expressSession({ secret: process.env.S, cookie: { httpOnly: true } }));
