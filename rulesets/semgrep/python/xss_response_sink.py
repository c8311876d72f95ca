# Test cases for xss_response_sink.yaml (semgrep --test annotations).
import html

import tornado.web
from aiohttp import web
from django.http import HttpResponse
from flask import make_response

GREETING = "hello"


def user_view(request, user_id):
    # ruleid: python.xss.response-built-from-non-constant
    return HttpResponse("User " + str(user_id) + " NOT FOUND")


def greet(name):
    # ruleid: python.xss.response-built-from-non-constant
    return make_response("Hello %s" % name)


async def hello(request):
    name = request.match_info["name"]
    # ruleid: python.xss.response-built-from-non-constant
    return web.Response(text=f"Hello {name}", content_type="text/html")


class SearchHandler(tornado.web.RequestHandler):
    def get(self):
        q = self.get_argument("q")
        # ruleid: python.xss.response-built-from-non-constant
        self.write("Results for " + q)
        # ok: python.xss.response-built-from-non-constant
        self.write("Results for " + html.escape(q))


def safe(name, count):
    # ok: python.xss.response-built-from-non-constant
    a = HttpResponse("User " + name, content_type="text/plain")
    # ok: python.xss.response-built-from-non-constant
    b = HttpResponse("Hi " + GREETING)
    # ok: python.xss.response-built-from-non-constant
    c = HttpResponse(f"Hi {GREETING}")
    # ok: python.xss.response-built-from-non-constant
    d = web.Response(text="Hello " + name)
    # ok: python.xss.response-built-from-non-constant
    e = HttpResponse(name)
    # ok: python.xss.response-built-from-non-constant
    f = HttpResponse(render("{}.html".format(name)))
    return a, b, c, d, e, f


def page(title):
    # ruleid: python.xss.response-built-from-non-constant
    return HttpResponse("<h1>%s</h1>" % title, content_type="text/html; charset=utf-8")
