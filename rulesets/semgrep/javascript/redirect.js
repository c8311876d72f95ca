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

function navigate(params, message, environment) {
  const next = params.get("next");
  // ruleid: javascript.redirect.location-set-non-constant
  window.location.href = next;
  // ruleid: javascript.redirect.location-set-non-constant
  window.location = message.data.url;
  // ruleid: javascript.redirect.location-set-non-constant
  location.assign("/" + next);
  // ruleid: javascript.redirect.location-set-non-constant
  location.replace(`${base}/done`);
  // ruleid: javascript.redirect.location-set-non-constant
  window.open(message.data.link, "_blank");
  // ruleid: javascript.redirect.location-set-non-constant
  this.windowRef.nativeWindow.location.replace(`${provider}?redirect_uri=${next}`);
  // ok: javascript.redirect.location-set-non-constant
  window.location.href = "/login";
  // ok: javascript.redirect.location-set-non-constant
  window.location.href = "/search?q=" + encodeURIComponent(next);
  // ok: javascript.redirect.location-set-non-constant
  location.assign(`/orders/${next}`);
  // ok: javascript.redirect.location-set-non-constant
  window.open("https://docs.example.com/" + next);
  // ok: javascript.redirect.location-set-non-constant
  window.location.replace(environment.hostServer + "/profile");
  // ok: javascript.redirect.location-set-non-constant
  window.open("", "_blank", "width=500");
  // ok: javascript.redirect.location-set-non-constant
  user.location = params.get("city");
  // ok: javascript.redirect.location-set-non-constant
  window.location = { ...originalLocation, replace: jest.fn() };
  // ok: javascript.redirect.location-set-non-constant
  const shown = description.replace(next);
}

const redirectAllowlist = new Set(["https://github.com/org/repo", "https://blog.example.com"]);

function isRedirectAllowed(url) {
  let allowed = false;
  for (const allowedUrl of redirectAllowlist) {
    // ruleid: javascript.redirect.incomplete-url-allowlist-check
    allowed = allowed || url.includes(allowedUrl);
  }
  return allowed;
}

function checks(req, target, u) {
  // ruleid: javascript.redirect.incomplete-url-allowlist-check
  if (req.query.returnTo.indexOf("example.com") !== -1) return true;
  // ruleid: javascript.redirect.incomplete-url-allowlist-check
  if (target.redirectUrl.startsWith("https://example.com")) return true;
  // ruleid: javascript.redirect.incomplete-url-allowlist-check
  if (new URL(u).hostname.endsWith("example.com")) return true;
  // ok: javascript.redirect.incomplete-url-allowlist-check
  if (target.redirectUrl.startsWith("https://example.com/")) return true;
  // ok: javascript.redirect.incomplete-url-allowlist-check
  if (new URL(u).hostname.endsWith(".example.com")) return true;
  // ok: javascript.redirect.incomplete-url-allowlist-check
  if (target.url.includes("?")) return true;
  // ok: javascript.redirect.incomplete-url-allowlist-check
  if (names.includes(target.name)) return true;
  // ok: javascript.redirect.incomplete-url-allowlist-check
  return new URL(u).origin === "https://example.com";
}
