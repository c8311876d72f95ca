// Test cases for cors.yaml (annotations as in semgrep --test).
const cors = require("cors");
// ruleid: javascript.cors.permissive-origin-with-credentials
app.use(cors({ origin: true, credentials: true }));
// ruleid: javascript.cors.permissive-origin-with-credentials
app.use(cors({ credentials: true, origin: "*" }));
// ok: javascript.cors.permissive-origin-with-credentials
app.use(cors({ origin: ["https://app.example.com"], credentials: true }));
// ok: javascript.cors.permissive-origin-with-credentials
app.use(cors());
app.use((req, res, next) => {
  // ruleid: javascript.cors.permissive-origin-with-credentials
  res.setHeader("Access-Control-Allow-Origin", req.headers.origin);
  // ok: javascript.cors.permissive-origin-with-credentials
  res.setHeader("Access-Control-Allow-Origin", "https://app.example.com");
  next();
});
