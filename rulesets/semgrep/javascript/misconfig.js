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

const express = require("express");
const serveIndex = require("serve-index");
const path = require("path");
const rateLimit = require("express-rate-limit");
const app = express();

// ruleid: javascript.misconfig.directory-listing-enabled
app.use("/ftp", serveIndex("ftp", { icons: true }));
// ruleid: javascript.misconfig.directory-listing-enabled
fastify.register(fastifyStatic, { root: path.join(__dirname, "files"), list: true });
// ok: javascript.misconfig.directory-listing-enabled
fastify.register(fastifyStatic, { root: path.join(__dirname, "public") });
// ok: javascript.misconfig.directory-listing-enabled
app.use("/ftp", express.static("ftp"));

// ruleid: javascript.misconfig.static-files-too-broad
app.use(express.static(__dirname));
// ruleid: javascript.misconfig.static-files-too-broad
app.use(express.static("."));
// ruleid: javascript.misconfig.static-files-too-broad
app.use("/assets", express.static(path.join(__dirname, "assets"), { dotfiles: "allow" }));
// ok: javascript.misconfig.static-files-too-broad
app.use(express.static(path.join(__dirname, "public")));
// ok: javascript.misconfig.static-files-too-broad
app.use(express.static(path.resolve("frontend/dist/frontend")));

app.use(
  "/login",
  rateLimit({
    windowMs: 60000,
    // ruleid: javascript.misconfig.client-ip-from-forwarded-header
    keyGenerator: (req) => req.headers["x-forwarded-for"] || req.ip,
  }),
);
app.use(
  rateLimit({
    // ruleid: javascript.misconfig.client-ip-from-forwarded-header
    keyGenerator({ headers, ip }) { return headers["X-Forwarded-For"] ?? ip; },
  }),
);
// ok: javascript.misconfig.client-ip-from-forwarded-header
app.use(rateLimit({ keyGenerator: (req) => req.ip }));
// ok: javascript.misconfig.client-ip-from-forwarded-header
logger.info({ forwarded: req.headers["x-forwarded-for"] });

function setup(server) {
  // ruleid: javascript.misconfig.trust-proxy-all-with-rate-limit
  server.enable("trust proxy");
  server.use("/reset", rateLimit({ windowMs: 300000, max: 100 }));
}
function setupOne(server) {
  // ok: javascript.misconfig.trust-proxy-all-with-rate-limit
  server.set("trust proxy", 1);
  server.use("/reset", rateLimit({ windowMs: 300000, max: 100 }));
}
function setupNoLimit(server) {
  // ok: javascript.misconfig.trust-proxy-all-with-rate-limit
  server.set("trust proxy", true);
  server.use(helmet());
}
