// Test cases for tls.yaml (annotations as in semgrep --test).
const https = require("https");

function client(host) {
  // ruleid: javascript.tls.reject-unauthorized-disabled
  const agent = new https.Agent({ keepAlive: true, rejectUnauthorized: false });
  // ok: javascript.tls.reject-unauthorized-disabled
  const strict = new https.Agent({ keepAlive: true, rejectUnauthorized: true });
  // ruleid: javascript.tls.node-tls-reject-unauthorized-zero
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
  // ok: javascript.tls.node-tls-reject-unauthorized-zero
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = "1";
  return [agent, strict, host];
}
