// Test cases for ssrf.yaml (annotations as in semgrep --test).
const axios = require("axios");
const http = require("http");

async function proxy(req, res, base, id) {
  // ruleid: javascript.ssrf.non-constant-url
  await fetch(req.body.imageUrl);
  // ruleid: javascript.ssrf.non-constant-url
  await axios.get(base + "/status");
  // ruleid: javascript.ssrf.non-constant-url
  await axios({ method: "get", url: `${base}/items/${id}` });
  // ruleid: javascript.ssrf.non-constant-url
  http.get("http://" + req.query.host + "/health", (r) => {});
  // ruleid: javascript.ssrf.non-constant-url
  needle("get", req.query.target);
  // ok: javascript.ssrf.non-constant-url
  await fetch("https://api.example.com/v1/status");
  // ok: javascript.ssrf.non-constant-url
  await axios.get(`https://api.example.com/items/${id}`);
  // ok: javascript.ssrf.non-constant-url
  await fetch("https://api.example.com/items/" + id);
  // ok: javascript.ssrf.non-constant-url
  await fetch(url);
}
