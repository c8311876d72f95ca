// Test cases for hash.yaml (annotations as in semgrep --test).
const crypto = require("crypto");

function digests(data, password, key, iv) {
  // ruleid: javascript.hash.weak-hash
  const etag = crypto.createHash("md5").update(data).digest("hex");
  // ruleid: javascript.hash.weak-hash
  const sig = crypto.createHmac("sha1", key).update(data).digest("hex");
  // ok: javascript.hash.weak-hash
  const good = crypto.createHash("sha256").update(data).digest("hex");

  // ruleid: javascript.hash.fast-hash-for-password
  const stored = crypto.createHash("sha256").update(password).digest("hex");
  // ok: javascript.hash.fast-hash-for-password
  crypto.scrypt(password, "salt", 64, () => {});

  // ruleid: javascript.hash.create-cipher
  const c1 = crypto.createCipher("aes-256-cbc", key);
  // ok: javascript.hash.create-cipher
  const c2 = crypto.createCipheriv("aes-256-gcm", key, iv);

  // ruleid: javascript.hash.ecb-mode
  const c3 = crypto.createCipheriv("aes-128-ecb", key, null);
  // ok: javascript.hash.ecb-mode
  const c4 = crypto.createCipheriv("aes-128-cbc", key, iv);
  return [etag, sig, good, stored, c1, c2, c3, c4];
}
