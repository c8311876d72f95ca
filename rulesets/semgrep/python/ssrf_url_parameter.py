# Test cases for ssrf_url_parameter.yaml (semgrep --test annotations).
import socket
from urllib.parse import urlparse
from urllib.request import urlopen

import requests
from flask import Flask, request

app = Flask(__name__)
ALLOWED_HOSTS = {"images.example.com"}


def save_cover_from_url(url, book_path):
    # ruleid: python.ssrf.url-parameter-fetched-unchecked
    img = requests.get(url, timeout=10)
    with open(book_path, "wb") as fh:
        fh.write(img.content)


def import_feed(feed_url):
    # ruleid: python.ssrf.url-parameter-fetched-unchecked
    return urlopen(feed_url).read()


def post_hook(target_url, payload):
    # ruleid: python.ssrf.url-parameter-fetched-unchecked
    requests.post(url=target_url, json=payload)


def save_avatar(url):
    host = urlparse(url).hostname
    if host not in ALLOWED_HOSTS:
        raise ValueError("host not allowed")
    # ok: python.ssrf.url-parameter-fetched-unchecked
    return requests.get(url, timeout=10).content


def fetch_checked(url):
    ip = socket.getaddrinfo(urlparse(url).hostname, 0)[0][4][0]
    if ip.startswith("127."):
        return None
    # ok: python.ssrf.url-parameter-fetched-unchecked
    return requests.get(url).content


def fetch_https_only(link):
    if not link.startswith("https://images.example.com/"):
        return None
    # ok: python.ssrf.url-parameter-fetched-unchecked
    return requests.get(link).content


def read_page(path):
    # a path is not a URL: the host is the app's own
    # ok: python.ssrf.url-parameter-fetched-unchecked
    return requests.get("https://api.example.com/" + path)


def fetch_local(url):
    # not a parameter of this function
    # ok: python.ssrf.url-parameter-fetched-unchecked
    return requests.get(request.args["next"])


@app.route("/cover", methods=["POST"])
def cover():
    return save_cover_from_url(request.form["cover_url"], "/srv/covers/1.jpg")
