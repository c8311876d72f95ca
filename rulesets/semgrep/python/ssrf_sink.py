# Test cases for ssrf_sink.yaml (semgrep --test annotations).
import urllib.request
from urllib.parse import urljoin

import httpx
import requests

BASE = "https://api.example.com"
API = "https://api.example.com/v1/items"


def fetch(url, item, host):
    # A bare URL variable is the contract of an HTTP helper.
    # ok: python.ssrf.non-constant-url
    requests.get(url)
    # ruleid: python.ssrf.non-constant-url
    requests.get(f"http://{host}/status")
    # an absolute or scheme-relative item replaces the base's host
    # ruleid: python.ssrf.non-constant-url
    requests.get(urljoin(BASE, item))
    # ruleid: python.ssrf.non-constant-url
    urllib.request.urlopen("http://" + host + "/metrics")
    status = "http://%s/status" % host
    # ruleid: python.ssrf.non-constant-url
    httpx.post(url=status, data={})
    # ok: python.ssrf.non-constant-url
    requests.get(BASE + "/v1/items")
    # ok: python.ssrf.non-constant-url
    requests.get("https://example.com/x")
    # ok: python.ssrf.non-constant-url
    requests.get(API)
    # the scheme and host are fixed in the literal
    # ok: python.ssrf.non-constant-url
    requests.get(f"https://api.example.com/items/{item}")


def session_fetch(host, path):
    with requests.Session() as s:
        # ruleid: python.ssrf.non-constant-url
        return s.get(f"https://{host}/{path}")
