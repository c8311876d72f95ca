# Test cases for xss_sink.yaml (semgrep --test annotations).
import html

import markupsafe
from django.http import HttpResponse
from markupsafe import Markup, escape

FOOTER = "<p>Powered by us</p>"
TITLE = "Home"


def page(name, comments, user):
    # ruleid: python.xss.html-built-from-non-constant
    body = "<p>Hello " + name + "</p>"
    # ruleid: python.xss.html-built-from-non-constant
    body += "<ul>%s</ul>" % "".join(comments)
    # ruleid: python.xss.html-built-from-non-constant
    body += '<a href="{}">profile</a>'.format(user.url)
    # ruleid: python.xss.html-built-from-non-constant
    body += f"<div class='note'>{user.note}</div>"
    # ruleid: python.xss.html-built-from-non-constant
    body += f"<li>{escape(user.name)}: {user['bio']}</li>"
    # ruleid: python.xss.html-built-from-non-constant
    body += "<input value='" + name + "'>"
    return HttpResponse(body)


def safe_page(name, count, comments):
    # ok: python.xss.html-built-from-non-constant
    a = "<p>Hello " + escape(name) + "</p>"
    # ok: python.xss.html-built-from-non-constant
    b = "<p>%s</p>" % html.escape(name)
    # ok: python.xss.html-built-from-non-constant
    c = Markup("<p>%s</p>") % name
    # ok: python.xss.html-built-from-non-constant
    d = Markup("<p>{}</p>").format(name)
    # ok: python.xss.html-built-from-non-constant
    e = "<p>" + TITLE + "</p>"
    # ok: python.xss.html-built-from-non-constant
    f = "<p>%d items</p>" % count
    # ok: python.xss.html-built-from-non-constant
    g = "<b>" + str(int(count)) + "</b>"
    # ok: python.xss.html-built-from-non-constant
    h = f"<title>{TITLE}</title>"
    # ok: python.xss.html-built-from-non-constant
    i = "<br>" + FOOTER
    # ok: python.xss.html-built-from-non-constant
    j = "<p>{}</p>".format(markupsafe.escape(name))
    # ok: python.xss.html-built-from-non-constant
    k = f"<p>{escape(name)}</p>"
    # ok: python.xss.html-built-from-non-constant
    m = f"<p>{{name}}</p>"
    # ok: python.xss.html-built-from-non-constant
    n = "<ul>" + "".join(f"<li>{escape(c)}</li>" for c in comments) + "</ul>"
    return a, b, c, d, e, f, g, h, i, j, k, m, n


class Node:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        # ok: python.xss.html-built-from-non-constant
        return "<p %s>" % self.name

    def check(self, value):
        if not value:
            # ok: python.xss.html-built-from-non-constant
            raise ValueError("<b>bad</b> value: %s" % value)
        # not markup: a placeholder in angle brackets
        # ok: python.xss.html-built-from-non-constant
        return "<string>" + value


def test_page(client, name):
    # a test's expected output
    # ok: python.xss.html-built-from-non-constant
    assert "<p>Hello {}</p>".format(name) in client.get("/").text
