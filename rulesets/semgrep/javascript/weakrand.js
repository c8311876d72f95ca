// Test cases for weakrand.yaml (annotations as in semgrep --test).
function issue(user) {
  // ruleid: javascript.weakrand.math-random-for-secret
  const resetToken = Math.random().toString(36).slice(2);
  // ruleid: javascript.weakrand.math-random-for-secret
  user.sessionId = Math.floor(Math.random() * 1e9);
  // ok: javascript.weakrand.math-random-for-secret
  const jitter = Math.random() * 100;
  // ok: javascript.weakrand.math-random-for-secret
  const token = crypto.randomBytes(32).toString("hex");
  return [resetToken, jitter, token];
}
