# Test cases for codeinj.yaml (semgrep --test annotations).
import ast
import json

import jinja2
from django.http import HttpResponse
from fastapi import FastAPI
from flask import Flask, render_template, render_template_string, request

app = Flask(__name__)
api = FastAPI()


@app.route("/calc")
def calc():
    expr = request.args.get("expr")
    # ruleid: python.codeinj.eval-injection, python.codeinj.eval-non-literal
    result = eval(expr)
    # ruleid: python.codeinj.eval-injection, python.codeinj.eval-non-literal
    exec("x = " + request.form["value"])
    # ok: python.codeinj.eval-injection
    value = ast.literal_eval(expr)
    # ok: python.codeinj.eval-injection
    data = json.loads(request.get_data())
    # ok: python.codeinj.eval-injection, python.codeinj.eval-non-literal
    eval("1 + 1")
    n = int(request.args["n"])
    # ok: python.codeinj.eval-injection
    code = compile(f"x = {n}", "<calc>", "exec")
    return str((result, value, data, code))


@app.route("/cookie")
def from_cookie():
    snippet = request.cookies.get("snippet", "")
    # ruleid: python.codeinj.eval-injection
    code = compile(snippet, "<cookie>", "exec")
    # ruleid: python.codeinj.eval-injection, python.codeinj.eval-non-literal
    exec(code)
    return "ok"


def django_view(request):
    # ruleid: python.codeinj.eval-injection, python.codeinj.eval-non-literal
    value = eval(request.POST.get("formula"))
    return HttpResponse(str(value))


@api.get("/run")
def run(statement: str):
    # ruleid: python.codeinj.eval-injection, python.codeinj.eval-non-literal
    exec(statement)


def config_eval(path):
    with open(path) as fh:
        text = fh.read()
    # Not request data: only the low-confidence audit rule reports it.
    # ok: python.codeinj.eval-injection
    # ruleid: python.codeinj.eval-non-literal
    return eval(text)


@app.route("/hello")
def hello():
    name = request.args.get("name", "world")
    # ruleid: python.codeinj.template-injection
    page = render_template_string("<h1>Hello " + name + "</h1>")
    # ok: python.codeinj.template-injection
    page2 = render_template_string("<h1>Hello {{ name }}</h1>", name=name)
    # ruleid: python.codeinj.template-injection
    tpl = jinja2.Template(request.form["template"])
    env = jinja2.Environment(autoescape=True)
    # ruleid: python.codeinj.template-injection
    tpl2 = env.from_string(f"Dear {name},")
    # ok: python.codeinj.template-injection
    tpl3 = env.from_string("Dear {{ name }},")
    # ok: python.codeinj.template-injection
    page3 = render_template("hello.html", name=name)
    return page + page2 + tpl.render() + tpl2.render() + tpl3.render(name=name) + page3


@app.route("/sliced-expr")
def sliced_expr():
    # A slice keeps the taint of what was assigned to the variable (semgrep drops it on its own).
    query = request.query_string.decode()
    expr = query[query.find("=") + 1 :]
    # ruleid: python.codeinj.eval-injection, python.codeinj.eval-non-literal
    eval(expr)
    prefix = "help"
    prefix += request.args.get("code", "")
    # ruleid: python.codeinj.eval-injection, python.codeinj.eval-non-literal
    exec(prefix[4:])
    fixed = "print(1)"
    # ok: python.codeinj.eval-injection
    # ruleid: python.codeinj.eval-non-literal
    exec(fixed[:5])


# --- python.codeinj.import-from-runtime-path ---
import importlib
import os
import sys


def load_template(name):
    if os.path.exists(name) and os.path.splitext(name)[1] == ".py":
        sys.path.insert(0, os.path.dirname(os.path.abspath(name)))
        try:
            m = os.path.splitext(os.path.basename(name))[0]
            # ruleid: python.codeinj.import-from-runtime-path
            module = importlib.import_module(m)
        finally:
            sys.path.pop(0)
        return module
    # ok: python.codeinj.import-from-runtime-path
    return importlib.import_module("dbusmock.templates." + name)


def load_plugin(plugin_dir, plugin):
    sys.path.append(plugin_dir)
    # ruleid: python.codeinj.import-from-runtime-path
    return __import__(plugin)


def load_own(plugin):
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "plugins"))
    # ok: python.codeinj.import-from-runtime-path
    return importlib.import_module(plugin)


def load_fixed(plugin):
    sys.path.insert(0, os.path.abspath("vendor"))
    # ok: python.codeinj.import-from-runtime-path
    return importlib.import_module(plugin)
