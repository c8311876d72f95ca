# Test cases for redirect.yaml (semgrep --test annotations).
import html
import urllib.parse

from django.http import HttpResponseRedirect
from django.shortcuts import redirect as dj_redirect
from django.utils.http import url_has_allowed_host_and_scheme
from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from flask import Flask, abort, redirect, request, url_for

app = Flask(__name__)
api = FastAPI()
ALLOWED = {"example.com", "www.example.com"}


@app.route("/login")
def login():
    nxt = request.args.get("next")
    # ruleid: python.redirect.tainted-redirect
    return redirect(nxt)


@app.route("/go")
def go():
    # HTML-escaping does not make a URL safe to redirect to.
    target = html.escape(request.cookies.get("return_to"))
    # ruleid: python.redirect.tainted-redirect
    return redirect(target)


@app.route("/home")
def home():
    # ok: python.redirect.tainted-redirect
    return redirect(url_for("index"))


@app.route("/endpoint")
def endpoint():
    # ok: python.redirect.tainted-redirect
    return redirect(url_for(request.args.get("page", "index")))


@app.route("/checked")
def checked():
    target = request.args.get("url", "/")
    parsed = urllib.parse.urlparse(target)
    if parsed.netloc not in ALLOWED:
        abort(400)
    # ok: python.redirect.tainted-redirect
    return redirect(target)


@app.route("/checked2")
def checked2():
    target = request.form.get("url", "/")
    try:
        u = urllib.parse.urlparse(target)
        if u.netloc != "example.com" or u.scheme != "https":
            return "Invalid URL"
    except ValueError:
        return "Error"
    # ok: python.redirect.tainted-redirect
    return redirect(target)


@app.route("/static")
def static_redirect():
    # ok: python.redirect.tainted-redirect
    return redirect("https://example.com/docs")


def django_view(request):
    nxt = request.GET.get("next", "/")
    if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        # ok: python.redirect.tainted-redirect
        return HttpResponseRedirect(nxt)
    # ruleid: python.redirect.tainted-redirect
    return dj_redirect(request.POST["next"])


@api.get("/out")
def out(url: str):
    # ruleid: python.redirect.tainted-redirect
    return RedirectResponse(url)


@api.get("/out-fixed")
def out_fixed(page: int):
    # ok: python.redirect.tainted-redirect
    return RedirectResponse("/pages/" + str(page))


@app.route("/sliced")
def sliced():
    # A slice keeps the taint of what was assigned to the variable (semgrep drops it on its own).
    query = request.query_string.decode()
    target = query[query.find("next=") + 5 :]
    amp = target.find("&")
    if amp != -1:
        target = target[:amp]
    # ruleid: python.redirect.tainted-redirect
    return redirect(target)


@app.route("/checked-sliced")
def checked_sliced():
    # A check on the URL covers its slices too.
    target = request.args.get("url", "/")
    parsed = urllib.parse.urlparse(target)
    if parsed.netloc not in ALLOWED:
        abort(400)
    # ok: python.redirect.tainted-redirect
    return redirect(target[:2048])


def django_view_sliced(request):
    nxt = request.GET.get("next", "/")
    if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        # ok: python.redirect.tainted-redirect
        return HttpResponseRedirect(nxt[:2048])
    # ruleid: python.redirect.tainted-redirect
    return HttpResponseRedirect(nxt[:2048])
