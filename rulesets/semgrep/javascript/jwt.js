// Test cases for jwt.yaml (annotations as in semgrep --test).
const jwt = require("jsonwebtoken");

function check(token, publicKey) {
  // ruleid: javascript.jwt.verify-without-algorithms
  const a = jwt.verify(token, publicKey);
  // ok: javascript.jwt.verify-without-algorithms
  const b = jwt.verify(token, publicKey, { algorithms: ["RS256"] });
  // ruleid: javascript.jwt.none-algorithm
  const c = jwt.verify(token, publicKey, { algorithms: ["RS256", "none"] });
  // ok: javascript.jwt.none-algorithm
  const d = jwt.sign({ sub: 1 }, publicKey, { algorithm: "RS256" });
  return [a, b, c, d];
}

function currentUser(req) {
  // ruleid: javascript.jwt.decode-without-verify
  const claims = jwt.decode(req.headers.authorization);
  return claims.sub;
}

function verifiedUser(req, key) {
  jwt.verify(req.headers.authorization, key, { algorithms: ["HS256"] });
  // ok: javascript.jwt.decode-without-verify
  return jwt.decode(req.headers.authorization).sub;
}
