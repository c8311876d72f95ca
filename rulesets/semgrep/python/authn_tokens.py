# Test cases for authn_tokens.yaml (annotations as in semgrep --test).
import base64
import json

import jwt
from flask_jwt_extended import create_access_token, create_refresh_token

PUBLIC_KEY = open("public.pem").read()


def decode_alg_from_header(token):
    # ruleid: python.authn.jwt-algorithm-from-token-header
    return jwt.decode(token, PUBLIC_KEY, algorithms=[jwt.get_unverified_header(token)["alg"]])


def decode_alg_from_header_variable(token):
    header = jwt.get_unverified_header(token)
    # ruleid: python.authn.jwt-algorithm-from-token-header
    return jwt.decode(token, PUBLIC_KEY, algorithms=[header["alg"]])


def decode_alg_from_header_two_steps(token):
    header = jwt.get_unverified_header(token)
    alg = header.get("alg", "HS256")
    # ruleid: python.authn.jwt-algorithm-from-token-header
    return jwt.decode(token, PUBLIC_KEY, algorithms=alg)


def decode_key_by_kid(token, keys):
    header = jwt.get_unverified_header(token)
    key = keys[header["kid"]]
    # ok: python.authn.jwt-algorithm-from-token-header
    return jwt.decode(token, key, algorithms=["RS256"])


def decode_alg_from_jwk(token, jwk):
    # ok: python.authn.jwt-algorithm-from-token-header
    return jwt.decode(token, jwk.key, algorithms=[jwk.algorithm])


def decode_mixed(token, key):
    # ruleid: python.authn.jwt-mixed-algorithm-families
    return jwt.decode(token, key, algorithms=["HS256", "RS256"])


def decode_mixed_tuple(token, key):
    # ruleid: python.authn.jwt-mixed-algorithm-families
    return jwt.decode(token, key, algorithms=("RS256", "ES256", "HS512"))


def decode_one_family(token, key):
    # ok: python.authn.jwt-mixed-algorithm-families
    jwt.decode(token, key, algorithms=["RS256", "ES256", "PS256"])
    # ok: python.authn.jwt-mixed-algorithm-families
    return jwt.decode(token, key, algorithms=["HS256", "HS512"])


def verify_then_read_raw(token, key, verifier):
    header, payload, signature = token.split(".")
    if key:
        verifier.allowed_algs = ["RS256"]
        verifier.deserialize(token, key)
    # ruleid: python.authn.jwt-claims-read-beside-verification
    return json.loads(base64.urlsafe_b64decode(payload + "=="))


def verify_then_read_raw_straight(token, key, signer):
    head, body, sig = token.split(".")
    signer.verify(token, key)
    # ruleid: python.authn.jwt-claims-read-beside-verification
    return json.loads(base64.urlsafe_b64decode(body))


def verify_and_use_result(token, key, verifier):
    verifier.deserialize(token, key)
    # ok: python.authn.jwt-claims-read-beside-verification
    return json.loads(verifier.payload)


def read_unsigned_only(token, allow_unsigned):
    header, payload, signature = token.split(".")
    if not allow_unsigned:
        raise ValueError("unsigned tokens are not accepted")
    # ok: python.authn.jwt-claims-read-beside-verification
    return json.loads(base64.urlsafe_b64decode(payload))


def decode_no_expiry(token, key):
    # ruleid: python.authn.jwt-expiry-not-verified
    return jwt.decode(token, key, algorithms=["HS256"], options={"verify_exp": False})


def decode_with_expiry(token, key):
    # ok: python.authn.jwt-expiry-not-verified
    return jwt.decode(token, key, algorithms=["HS256"], options={"verify_exp": True, "require": ["exp"]})


JWT_AUTH = {
    # ruleid: python.authn.jwt-expiry-not-verified
    "JWT_VERIFY_EXPIRATION": False,
    # ok: python.authn.jwt-expiry-not-verified
    "JWT_ALLOW_REFRESH": False,
}

# Whether refresh tokens expire (False: never)
# ruleid: python.authn.token-never-expires
REFRESH_TOKENS_EXPIRE = False

# ok: python.authn.token-never-expires
SESSION_EXPIRE_AT_BROWSER_CLOSE = False

# ok: python.authn.token-never-expires
REFRESH_TOKEN_EXPIRES_HOURS = 48


def configure(app):
    # ruleid: python.authn.token-never-expires
    app.config["JWT_REFRESH_TOKEN_EXPIRES"] = False
    # ok: python.authn.token-never-expires
    app.config["JWT_ACCESS_TOKEN_EXPIRES"] = 3600
    # ok: python.authn.token-never-expires
    app.config["JWT_COOKIE_CSRF_PROTECT"] = False


def issue(user, remember):
    # ruleid: python.authn.token-never-expires
    refresh = create_refresh_token(identity=user.id, expires_delta=False)
    # ok: python.authn.token-never-expires
    access = create_access_token(identity=user.id)
    return access, refresh


def is_expired(session):
    # ok: python.authn.token-never-expires
    session_expire = False
    if session.age > 3600:
        session_expire = True
    return session_expire


class HMACKey:
    def prepare(self, key):
        # ruleid: python.authn.public-key-format-denylist
        refused = [b"-----BEGIN PUBLIC KEY-----", b"-----BEGIN CERTIFICATE-----", b"ssh-rsa"]
        if any(marker in key for marker in refused):
            raise ValueError("an asymmetric key is not an HMAC secret")
        return key

    def sniff(self, key):
        # ok: python.authn.public-key-format-denylist
        if b"-----BEGIN PUBLIC KEY-----" in key:
            return "public"
        return "secret"


JWT_SETTINGS = {
    # ruleid: python.authn.token-never-expires
    "JWT_ACCESS_TOKEN_EXPIRES": False,
}


def verify_or_read_unsigned(token, key, verifier, allowed):
    header, payload, signature = token.split(".")
    if key:
        verifier.deserialize(token, key)
        claims = json.loads(verifier.payload)
    elif "none" not in allowed:
        raise ValueError("unsigned tokens are not accepted")
    else:
        # ok: python.authn.jwt-claims-read-beside-verification
        claims = json.loads(base64.urlsafe_b64decode(payload))
    return claims


NOT_HMAC_SECRETS = (
    # ruleid: python.authn.public-key-format-denylist
    "-----BEGIN RSA PUBLIC KEY-----",
    "ssh-rsa",
)


def key_kind(text):
    # ok: python.authn.public-key-format-denylist
    if text.startswith("-----BEGIN") or text.startswith(("ssh-", "ecdsa-")):
        return "asymmetric"
    return "secret"


def settings_item(settings):
    # ruleid: python.authn.jwt-expiry-not-verified
    settings["JWT_VERIFY_EXPIRATION"] = False
