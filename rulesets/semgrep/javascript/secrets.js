// Test cases for secrets.yaml (annotations as in semgrep --test). Every key here is made up.
const jwt = require("jsonwebtoken");
const session = require("express-session");
const cookieParser = require("cookie-parser");

// ruleid: javascript.secrets.hardcoded-signing-key
const token = jwt.sign({ sub: 1 }, "not-a-real-secret", { expiresIn: "1h" });
// ok: javascript.secrets.hardcoded-signing-key
const good = jwt.sign({ sub: 1 }, process.env.JWT_SECRET, { expiresIn: "1h" });
// ruleid: javascript.secrets.hardcoded-signing-key
app.use(session({ secret: "keyboard cat", resave: false }));
// ruleid: javascript.secrets.hardcoded-signing-key
app.use(cookieParser("kekse"));
// ok: javascript.secrets.hardcoded-signing-key
app.use(cookieParser(process.env.COOKIE_SECRET));

// ruleid: javascript.secrets.private-key-literal
const privateKey = "-----BEGIN RSA PRIVATE KEY-----\r\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\r\n-----END RSA PRIVATE KEY-----";
// ok: javascript.secrets.private-key-literal
const publicKey = "-----BEGIN PUBLIC KEY-----\r\nMFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf\r\n-----END PUBLIC KEY-----";

const expressSession = require("express-session");
const cookieSession = require("cookie-session");
// ruleid: javascript.secrets.hardcoded-signing-key
app.use(expressSession({ secret: "s3ss10n", resave: false }));
// ruleid: javascript.secrets.hardcoded-signing-key
app.use(session({ secret: ["rotated-one", "rotated-two"] }));
// ruleid: javascript.secrets.hardcoded-signing-key
app.use(cookieSession({ name: "sess", keys: ["made-up-key"] }));
// ok: javascript.secrets.hardcoded-signing-key
app.use(cookieSession({ name: "sess", keys: [process.env.COOKIE_KEY] }));
