// Test cases for cors.yaml (annotations as in semgrep --test).
const cors = require("cors");
// ruleid: javascript.misconfig.permissive-origin-with-credentials
app.use(cors({ origin: true, credentials: true }));
// ruleid: javascript.misconfig.permissive-origin-with-credentials
app.use(cors({ credentials: true, origin: "*" }));
// ok: javascript.misconfig.permissive-origin-with-credentials
app.use(cors({ origin: ["https://app.example.com"], credentials: true }));
// ok: javascript.misconfig.permissive-origin-with-credentials
app.use(cors());
app.use((req, res, next) => {
  // ruleid: javascript.misconfig.permissive-origin-with-credentials
  res.setHeader("Access-Control-Allow-Origin", req.headers.origin);
  // ok: javascript.misconfig.permissive-origin-with-credentials
  res.setHeader("Access-Control-Allow-Origin", "https://app.example.com");
  next();
});
