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

// The host is fixed; only the port is chosen at run time.
async function local(port, id) {
  // ok: javascript.ssrf.non-constant-url
  await fetch(`http://localhost:${port}/items/${id}`);
  // ok: javascript.ssrf.non-constant-url
  await fetch(`http://127.0.0.1:${port}/health`);
  // ruleid: javascript.ssrf.non-constant-url
  await fetch(`http://${host}:${port}/items`);
}

// supertest drives the app under test in-process: no request leaves the machine.
function appTest(app, target) {
  const request = require("supertest");
  // ok: javascript.ssrf.non-constant-url
  request(app.listen()).get("/");
  // ok: javascript.ssrf.non-constant-url
  request(app.callback()).post("/x");
  // ruleid: javascript.ssrf.non-constant-url
  axios.get(target.url);
}
