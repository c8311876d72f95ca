# Test cases for xss.yaml (semgrep --test annotations).
import html

import jinja2
import markupsafe
from django.http import HttpResponse
from django.utils.safestring import mark_safe
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from flask import Flask, make_response, redirect, render_template, request, url_for

app = Flask(__name__)
api = FastAPI()


@app.route("/hello")
def hello():
    name = request.args.get("name", "")
    # ruleid: python.xss.tainted-html-response
    return f"<h1>Hello {name}</h1>"


@app.route("/hello-escaped")
def hello_escaped():
    name = request.args.get("name", "")
    # ok: python.xss.tainted-html-response
    return f"<h1>Hello {html.escape(name)}</h1>"


@app.route("/hello-template")
def hello_template():
    # ok: python.xss.tainted-html-response
    return render_template("hello.html", name=request.args.get("name"))


@app.route("/ua")
def user_agent():
    body = "Your browser: " + request.headers.get("User-Agent")
    # ruleid: python.xss.tainted-html-response
    resp = make_response(body)
    # A response object is not a str: its body was checked where it was built.
    # ok: python.xss.tainted-html-response
    return resp


@app.route("/count")
def count():
    n = int(request.args.get("n", "0"))
    # ok: python.xss.tainted-html-response
    return f"<p>{n} items</p>"


def escape_for_html(value):
    return html.escape(value)


@app.route("/local-escaper", methods=["POST"])
def local_escaper():
    comment = request.form["comment"]
    # ok: python.xss.tainted-html-response
    return "<p>" + escape_for_html(comment) + "</p>"


@app.route("/static")
def static_page():
    # ok: python.xss.tainted-html-response
    return "<p>static</p>"


def django_view(request):
    q = request.GET.get("q")
    # ruleid: python.xss.tainted-html-response
    return HttpResponse("Results for " + q)


def django_safe(request):
    q = request.GET.get("q")
    # ruleid: python.xss.tainted-html-response
    return HttpResponse(mark_safe("<b>" + q + "</b>"))


def django_escaped(request):
    q = request.GET.get("q")
    # ok: python.xss.tainted-html-response
    return HttpResponse("Results for " + html.escape(q))


@api.get("/page")
def page(title: str):
    # ruleid: python.xss.tainted-html-response
    return HTMLResponse(f"<title>{title}</title>")


@api.get("/page-safe")
def page_safe(title: str):
    # ok: python.xss.tainted-html-response
    return HTMLResponse(f"<title>{markupsafe.escape(title)}</title>")


@app.route("/header")
def header():
    # Flask's (body, headers) and (body, status, headers): a header value is not HTML.
    value = request.args.get("v")
    body = "The value is now in a custom header."
    # ok: python.xss.tainted-html-response
    resp = make_response((body, {"X-Value": value}))
    # ok: python.xss.tainted-html-response
    resp2 = make_response(body, 200, {"X-Value": value})
    if value == "a":
        # ok: python.xss.tainted-html-response
        return resp
    if value == "b":
        # ok: python.xss.tainted-html-response
        return body, 200, {"X-Value": value}
    if value == "c":
        # ok: python.xss.tainted-html-response
        return make_response(body, {"X-Value": value})
    if value == "d":
        # ruleid: python.xss.tainted-html-response
        return make_response(("<p>" + value + "</p>", {"X-Static": "1"}))
    if value == "e":
        # ruleid: python.xss.tainted-html-response
        return "<p>" + value + "</p>", 200
    # ok: python.xss.tainted-html-response
    return redirect(url_for("index", q=value))


@app.route("/sliced")
def sliced():
    # A slice keeps the taint of what was assigned to the variable (semgrep drops it on its own).
    query = request.query_string.decode()
    value = query[query.find("=") + 1 :]
    # ruleid: python.xss.tainted-html-response
    return f"<p>{value}</p>"

# ruleid: python.xss.jinja2-autoescape-disabled
env = jinja2.Environment(loader=jinja2.FileSystemLoader("templates"))
# ruleid: python.xss.jinja2-autoescape-disabled
env2 = jinja2.Environment(autoescape=False)
# ok: python.xss.jinja2-autoescape-disabled
env3 = jinja2.Environment(autoescape=True)
# ok: python.xss.jinja2-autoescape-disabled
env4 = jinja2.Environment(autoescape=jinja2.select_autoescape(["html"]))


def setup_templates(app):
    import aiohttp_jinja2

    # ruleid: python.xss.jinja2-autoescape-disabled
    aiohttp_jinja2.setup(app, loader=jinja2.PackageLoader("app", "templates"), autoescape=False)
    # ok: python.xss.jinja2-autoescape-disabled
    aiohttp_jinja2.setup(app, loader=jinja2.PackageLoader("app", "templates"))


def notebook_env(template_path, jinja_env_options=None):
    jenv_opt = jinja_env_options if jinja_env_options else {}
    # ruleid: python.xss.jinja2-autoescape-from-options
    return jinja2.Environment(loader=jinja2.FileSystemLoader(template_path), **jenv_opt)


def notebook_env_fixed(template_path, jinja_env_options=None):
    jenv_opt = {"autoescape": True}
    jenv_opt.update(jinja_env_options if jinja_env_options else {})
    # ok: python.xss.jinja2-autoescape-from-options
    return jinja2.Environment(loader=jinja2.FileSystemLoader(template_path), **jenv_opt)


def env_with_default(**options):
    options.setdefault("autoescape", True)
    # ok: python.xss.jinja2-autoescape-from-options
    return jinja2.Environment(**options)


def env_explicit(**options):
    # ok: python.xss.jinja2-autoescape-from-options
    return jinja2.Environment(autoescape=True, **options)


def print_report(rows):
    # rendered for a terminal, not a browser
    # ok: python.xss.jinja2-autoescape-disabled
    env = jinja2.Environment(loader=jinja2.FileSystemLoader("reports"))
    tmpl = env.get_template("rows.txt")
    print(tmpl.render(rows=rows))


def test_loop_index():
    # ok: python.xss.jinja2-autoescape-disabled
    t = jinja2.Template("{% for i in items %}{{ loop.index }}{% endfor %}")
    assert t.render(items=[1, 2]) == "12"


def render_page(name):
    # ruleid: python.xss.jinja2-autoescape-disabled
    env = jinja2.Environment(loader=jinja2.FileSystemLoader("templates"))
    html = env.get_template("page.html").render(name=name)
    print("rendered", len(html))
    return html


def print_list():
    # ok: python.xss.jinja2-autoescape-disabled
    tmpl = jinja2.Environment().from_string("<ul>{% for i in items %}<li>{{ i }}{% endfor %}</ul>")
    print(tmpl.render(items=[1, 2]))
