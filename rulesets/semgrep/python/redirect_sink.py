# Test cases for redirect_sink.yaml (semgrep --test annotations).
import cherrypy
from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from flask import redirect, request, url_for
from pyramid.httpexceptions import HTTPFound
from starlette.responses import RedirectResponse


def login():
    nxt = request.args.get("next")
    # ruleid: python.redirect.return-parameter-redirect
    return redirect(nxt or "/")


def django_login(req):
    # ruleid: python.redirect.return-parameter-redirect
    return HttpResponseRedirect(req.GET.get("next", "/"))


class LoginHandler:
    def get(self):
        # Tornado
        # ruleid: python.redirect.return-parameter-redirect
        self.redirect(self.get_argument("return_to"))


class Root:
    def login(self, next=None):
        # CherryPy: handler arguments are query parameters
        # ruleid: python.redirect.return-parameter-redirect
        raise cherrypy.HTTPRedirect(next)


def pyramid_view(req):
    came_from = req.params.get("came_from")
    # ruleid: python.redirect.return-parameter-redirect
    return HTTPFound(location=came_from)


async def starlette_view(params):
    # ruleid: python.redirect.return-parameter-redirect
    return RedirectResponse(params["redirect_uri"])


def own_url():
    # the value is a parameter of our own URL
    # ok: python.redirect.return-parameter-redirect
    return redirect(url_for("index", next=request.args.get("next")))


def checked():
    nxt = request.args.get("next")
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={"example.com"}):
        nxt = "/"
    # ok: python.redirect.return-parameter-redirect
    return redirect(nxt)


def constant():
    # ok: python.redirect.return-parameter-redirect
    return redirect("/home")


# --- python.redirect.request-path-redirect ---
import http.server
import re

import tornado.web
from aiohttp import web
from django.http import HttpResponsePermanentRedirect


class TrailingSlashHandler(tornado.web.RequestHandler):
    def get(self):
        # ruleid: python.redirect.request-path-redirect
        self.redirect(self.request.uri.rstrip("/"))


class CollapsedSlashHandler(tornado.web.RequestHandler):
    def get(self):
        path, *rest = self.request.uri.partition("?")
        path = "/" + path.strip("/")
        new_uri = "".join([path, *rest])
        # ok: python.redirect.request-path-redirect
        self.redirect(new_uri)


def append_slash():
    # ruleid: python.redirect.request-path-redirect
    return redirect(request.path + "/")


def django_append_slash(request):
    new_path = request.get_full_path(force_append_slash=True)
    # ruleid: python.redirect.request-path-redirect
    return HttpResponsePermanentRedirect(new_path)


async def aiohttp_normalize(request):
    # ruleid: python.redirect.request-path-redirect
    raise web.HTTPFound(request.raw_path + "/")


def normalize_path_middleware(redirect_class=web.HTTPPermanentRedirect):
    async def middleware(request, handler):
        # ruleid: python.redirect.request-path-redirect
        raise redirect_class(request.raw_path + request.query_string)

    return middleware


class CommonMiddleware:
    response_redirect_class = HttpResponsePermanentRedirect

    def process_request(self, request):
        # ruleid: python.redirect.request-path-redirect
        return self.response_redirect_class(request.get_full_path() + "/")


class DirHandler(http.server.SimpleHTTPRequestHandler):
    def send_dir(self):
        self.send_response(301)
        # ruleid: python.redirect.request-path-redirect
        self.send_header("Location", self.path + "/")


def login_first():
    # the request path is a query parameter of our own login page
    # ok: python.redirect.request-path-redirect
    return redirect("/login?next=" + request.path)


def relative_only():
    # ok: python.redirect.request-path-redirect
    return redirect(request.path.lstrip("/"))


def via_router():
    # ok: python.redirect.request-path-redirect
    return redirect(url_for("login", next=request.path))


def normalize_path_collapsing(redirect_class=web.HTTPPermanentRedirect):
    async def middleware(request, handler):
        for path in candidates(request):
            path = re.sub("^//+", "/", path)
            resolves, request = await resolve(request, path)
            if resolves:
                # ok: python.redirect.request-path-redirect
                raise redirect_class(request.raw_path + request.query_string)

    return middleware


def collapse_leading_slashes(request):
    target = request.path
    target = re.sub(r"^/+", "/", target)
    # ok: python.redirect.request-path-redirect
    return redirect(target + "/")


def collapse_trailing_only(request):
    cleaned = re.sub(r"/+$", "/", request.path)
    # ruleid: python.redirect.request-path-redirect
    return redirect(request.path + "/", code=cleaned)
