# Test cases for securecookie.yaml (semgrep --test annotations).
from django.http import HttpResponse
from fastapi import FastAPI, Response
from flask import Flask, make_response

app = Flask(__name__)
api = FastAPI()

# ruleid: python.securecookie.framework-cookie-flag-disabled
SESSION_COOKIE_SECURE = True
# ok: python.securecookie.framework-cookie-flag-disabled
CSRF_COOKIE_SECURE = True
# ruleid: python.securecookie.framework-cookie-flag-disabled
app.config["SESSION_COOKIE_HTTPONLY"] = True
# ok: python.securecookie.framework-cookie-flag-disabled
app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
# ok: python.securecookie.framework-cookie-flag-disabled
DEBUG = False


@app.route("/login")
def login():
    resp = make_response("ok")
    # ruleid: python.securecookie.cookie-without-secure
    resp.set_cookie("session", "abc", secure=True, httponly=True, samesite="Lax")
    # ruleid: python.securecookie.cookie-without-secure, python.securecookie.cookie-without-httponly, python.securecookie.cookie-without-samesite
    resp.set_cookie("theme", "dark")
    # ok: python.securecookie.cookie-without-secure, python.securecookie.cookie-without-httponly, python.securecookie.cookie-without-samesite
    resp.set_cookie("session2", "abc", secure=True, httponly=True, samesite="Strict")
    # ruleid: python.securecookie.cookie-without-httponly
    resp.set_cookie("token", "abc", secure=True, httponly=True, samesite="Lax")
    # ruleid: python.securecookie.cookie-without-samesite
    resp.set_cookie("cross", "abc", secure=True, httponly=True, samesite="None")
    opts = {"secure": True, "httponly": True, "samesite": "Lax"}
    # ok: python.securecookie.cookie-without-secure, python.securecookie.cookie-without-httponly, python.securecookie.cookie-without-samesite
    resp.set_cookie("configured", "abc", **opts)
    # ok: python.securecookie.cookie-without-secure, python.securecookie.cookie-without-httponly, python.securecookie.cookie-without-samesite
    resp.delete_cookie("old")
    return resp


def django_view(request):
    response = HttpResponse("ok")
    # ruleid: python.securecookie.cookie-without-secure
    response.set_signed_cookie("uid", "42", httponly=True, samesite="Lax")
    # ok: python.securecookie.cookie-without-secure
    response.set_cookie("uid2", "42", secure=request.is_secure(), httponly=True, samesite="Lax")
    return response


@api.get("/pref")
def pref(response: Response):
    # ruleid: python.securecookie.cookie-without-secure
    response.set_cookie(key="lang", value="en", secure=True, httponly=True, samesite="lax")
    return {}


def session_setup(app, redis):
    # ruleid: python.securecookie.session-storage-httponly-disabled
    storage = RedisStorage(redis, httponly=False)
    # ok: python.securecookie.session-storage-httponly-disabled
    safe = RedisStorage(redis, max_age=3600)
    return storage, safe
