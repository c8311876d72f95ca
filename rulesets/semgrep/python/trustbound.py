# Test cases for trustbound.yaml (semgrep --test annotations).
import html

import flask
from fastapi import FastAPI, Request
from flask import Flask, request, session

app = Flask(__name__)
api = FastAPI()
ROLES = {"viewer", "editor"}


@app.route("/prefs", methods=["POST"])
def prefs():
    # ruleid: python.trustbound.tainted-session-write
    session["theme"] = request.form["theme"]
    key = request.args.get("key")
    # ruleid: python.trustbound.tainted-session-write
    flask.session[key] = "1"
    # HTML-escaping does not validate the value for the session.
    # ruleid: python.trustbound.tainted-session-write
    session["name"] = html.escape(request.form["name"])
    # ok: python.trustbound.tainted-session-write
    session["page_size"] = int(request.form["page_size"])
    # ok: python.trustbound.tainted-session-write
    session["visited"] = True
    return "ok"


@app.route("/login", methods=["POST"])
def login():
    user = authenticate(request.form["user"], request.form["password"])
    # The id comes from our own lookup, not the request.
    # ok: python.trustbound.tainted-session-write
    session["user_id"] = user_id_of_current_login()
    # ruleid: python.trustbound.tainted-session-write
    session.update({"role": request.headers.get("X-Role")})
    return str(user)


def django_view(request):
    # ruleid: python.trustbound.tainted-session-write
    request.session["cart"] = request.POST.get("cart")
    # ok: python.trustbound.tainted-session-write
    request.session["count"] = 0
    return None


@api.post("/state")
async def state(request: Request, role: str):
    # ruleid: python.trustbound.tainted-session-write
    request.session["role"] = role
    # ok: python.trustbound.tainted-session-write
    request.session["role_set"] = True


@app.route("/sliced", methods=["POST"])
def sliced():
    # A slice keeps the taint of what was assigned to the variable (semgrep drops it on its own).
    name = request.form["name"]
    # ruleid: python.trustbound.tainted-session-write
    session["name"] = name[:64]
    theme = "dark-mode"
    # ok: python.trustbound.tainted-session-write
    session["theme"] = theme[:4]
    return "ok"
