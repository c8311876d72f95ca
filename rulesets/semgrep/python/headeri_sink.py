# Test cases for headeri_sink.yaml (semgrep --test annotations).
from http.server import BaseHTTPRequestHandler
from urllib.parse import quote

CHARSET = "utf-8"


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        params = dict(p.split("=") for p in self.path.split("?")[-1].split("&"))
        self.send_response(200)
        # ruleid: python.headeri.header-built-from-non-constant
        self.send_header("Content-Type", "text/html; charset=%s" % params.get("charset", "utf8"))
        # ruleid: python.headeri.header-built-from-non-constant
        self.send_header("Set-Cookie", "lang=" + params["lang"])
        # ok: python.headeri.header-built-from-non-constant
        self.send_header("Content-Type", "text/html; charset=%s" % CHARSET)
        # ok: python.headeri.header-built-from-non-constant
        self.send_header("Location", "/search?q=" + quote(params["q"]))
        # ok: python.headeri.header-built-from-non-constant
        self.send_header("Content-Length", str(len(params)))
        self.end_headers()


def app(environ, start_response):
    name = environ.get("QUERY_STRING", "")
    # ruleid: python.headeri.header-built-from-non-constant
    start_response("200 OK", [("Content-Type", "text/plain"), ("X-Name", f"user {name}")])
    # ok: python.headeri.header-built-from-non-constant
    start_response("200 OK", [("Content-Type", "text/plain; charset=" + CHARSET)])
    return [b""]
