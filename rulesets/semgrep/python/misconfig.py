# Test cases for misconfig.yaml (annotations as in semgrep --test).
from flask import request
from flask_cors import CORS

# ruleid: python.misconfig.allowed-hosts-wildcard
ALLOWED_HOSTS = ["*"]
# ok: python.misconfig.allowed-hosts-wildcard
ALLOWED_HOSTS = ["example.com", ".example.com"]


def after_request(response):
    origin = request.headers.get("Origin")
    if origin:
        # ruleid: python.misconfig.cors-reflects-origin-with-credentials
        response.headers.add("Access-Control-Allow-Origin", origin)
        response.headers.add("Access-Control-Allow-Credentials", "true")
    # ok: python.misconfig.cors-reflects-origin-with-credentials
    response.headers["Access-Control-Allow-Origin"] = "https://app.example.com"
    return response


def setup(app):
    # ruleid: python.misconfig.cors-reflects-origin-with-credentials
    CORS(app, supports_credentials=True)
    # ok: python.misconfig.cors-reflects-origin-with-credentials
    CORS(app, origins=["https://app.example.com"], supports_credentials=True)
    # ok: python.misconfig.cors-reflects-origin-with-credentials
    CORS(app)


# ruleid: python.misconfig.cors-reflects-origin-with-credentials
CORS_ALLOW_CREDENTIALS = True
CORS_ALLOW_ALL_ORIGINS = True


def headers():
    out = []
    # ruleid: python.misconfig.hsts-disabled
    out.append(("Strict-Transport-Security", "max-age=0"))
    # ok: python.misconfig.hsts-disabled
    out.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
    # ruleid: python.misconfig.hsts-disabled
    out.append(("Strict-Transport-Security", "includeSubDomains; max-age=0"))
    return out
