// Test cases for high-entropy-credential.yaml (annotations as in semgrep --test).
// Every value below is made up for this test.

// ruleid: javascript.secrets.high-entropy-credential
const API_TOKEN = "aZ3kq9XbT7pLm2Qw8sVd";
// ruleid: javascript.secrets.high-entropy-credential
config.jwtSecret = 'Qm9vN2x3Zk1hUjRzVGhpc0lz';
// ruleid: javascript.secrets.high-entropy-credential
settings["apiKey"] = `k8Jd2LmQ9zXv4RtY7wPa`;
const options = {
  // ruleid: javascript.secrets.high-entropy-credential
  password: "hT5rE9wQ2mZ8xK4vB7nL",
  // ruleid: javascript.secrets.high-entropy-credential
  "client_secret": "Zp3Lq8Xv2Nm7Rt4Wk9Yb",
  // ok: javascript.secrets.high-entropy-credential
  passwordField: "hT5rE9wQ2mZ8xK4vB7nL",
};
class Client {
  // ruleid: javascript.secrets.high-entropy-credential
  token = "Vb7Nm2Qx9Lk4Rt8Wz3Py";
}
// ruleid: javascript.secrets.high-entropy-credential
function login(user, pwd = "Rk4Wm8Zq2Xv7Lt3Np9Yb") {
  // ruleid: javascript.secrets.high-entropy-credential
  return pwd === "Gq7Lm3Zx8Vk2Rt9Wp4Nb";
}
// ok: javascript.secrets.high-entropy-credential
const DB_PASSWORD = process.env.DB_PASSWORD;
// ok: javascript.secrets.high-entropy-credential
const API_KEY = "your-api-key-here-000";
// ok: javascript.secrets.high-entropy-credential
const SESSION_SECRET = `${prefix}Zp3Lq8Xv2Nm7Rt4Wk9Yb`;
// ok: javascript.secrets.high-entropy-credential
const greeting = "aZ3kq9XbT7pLm2Qw8sVd";
