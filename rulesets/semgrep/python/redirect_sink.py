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
