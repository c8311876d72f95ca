# Test cases for ssrf.yaml (semgrep --test annotations).
import http.server
import urllib.parse
import urllib.request

import httpx
import requests
import tornado.web
from fastapi import FastAPI
from flask import Flask, request

app = Flask(__name__)
api = FastAPI()
ALLOWED_HOSTS = {"api.example.com"}


@app.route("/fetch")
def fetch():
    url = request.args.get("url")
    # ruleid: python.ssrf.tainted-url-request
    r = requests.get(url, timeout=5)
    # ruleid: python.ssrf.tainted-url-request
    body = urllib.request.urlopen(request.form["feed"]).read()
    # ok: python.ssrf.tainted-url-request
    r2 = requests.get("https://api.example.com/status", timeout=5)
    return r.text + body.decode() + r2.text


@app.route("/webhook", methods=["POST"])
def webhook():
    target = request.get_json()["callback"]
    # ruleid: python.ssrf.tainted-url-request
    requests.post(url=target, json={"ok": True})
    with requests.Session() as s:
        # ruleid: python.ssrf.tainted-url-request
        s.get(target)
    return "ok"


@app.route("/user")
def user():
    name = request.args.get("name")
    # The value only fills a quoted path segment of a fixed host.
    # ok: python.ssrf.tainted-url-request
    r = requests.get("https://api.example.com/users/" + urllib.parse.quote(name))
    return r.text


@app.route("/checked")
def checked():
    url = request.args.get("url")
    parsed = urllib.parse.urlparse(url)
    if parsed.hostname not in ALLOWED_HOSTS:
        return "forbidden", 403
    # ok: python.ssrf.tainted-url-request
    return requests.get(url).text


def django_view(request):
    # ruleid: python.ssrf.tainted-url-request
    return httpx.get(request.GET["image"]).content


@api.get("/proxy")
async def proxy(target: str):
    async with httpx.AsyncClient() as client:
        # ruleid: python.ssrf.tainted-url-request
        resp = await client.get(target)
    return resp.text


def internal_job(config):
    # ok: python.ssrf.tainted-url-request
    return requests.get(config["endpoint"]).json()


@app.route("/sliced")
def sliced():
    # A slice keeps the taint of what was assigned to the variable (semgrep drops it on its own).
    url = request.args.get("url", "")
    # ruleid: python.ssrf.tainted-url-request
    requests.get(url.strip()[:2048], timeout=5)
    base = "https://api.example.com/v1/"
    # ok: python.ssrf.tainted-url-request
    requests.get(base[:-3], timeout=5)
    return "ok"


@app.route("/checked-sliced")
def checked_sliced():
    # A check on the URL covers its slices too.
    url = request.args.get("url", "")
    parsed = urllib.parse.urlparse(url)
    if parsed.hostname not in ALLOWED_HOSTS:
        return "forbidden", 403
    # ok: python.ssrf.tainted-url-request
    return requests.get(url[:2048]).text


class FetchHandler(tornado.web.RequestHandler):
    def get(self):
        url = self.get_argument("url")
        # ruleid: python.ssrf.tainted-url-request
        return requests.get(url).text


class ProxyHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        target = self.headers.get("X-Target")
        # ruleid: python.ssrf.tainted-url-request
        urllib.request.urlopen(target)
        # ok: python.ssrf.tainted-url-request
        urllib.request.urlopen("https://example.com/status")
