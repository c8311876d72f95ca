// Test cases for redirect.yaml (annotations as in semgrep --test).
function login(req, res) {
  // ruleid: javascript.redirect.request-data-redirect
  res.redirect(req.query.next);
  const target = req.body.returnTo;
  // ruleid: javascript.redirect.request-data-redirect
  res.redirect(302, target);
  const { query } = req;
  // ruleid: javascript.redirect.request-data-redirect
  res.redirect(query.to);
  // ok: javascript.redirect.request-data-redirect
  res.redirect("/profile");
  // ok: javascript.redirect.request-data-redirect
  res.redirect(302, "/login");
}
