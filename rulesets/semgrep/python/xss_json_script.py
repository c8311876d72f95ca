# Test cases for xss_json_script.yaml (semgrep --test annotations).
import json
from json import dumps

from markupsafe import Markup

LT = "\\u003c"


def page(state):
    # ruleid: python.xss.json-in-script-unescaped
    return f"<html><script>window.STATE = {json.dumps(state)};</script></html>"


def bootstrap(config, title):
    # ruleid: python.xss.json-in-script-unescaped
    return Markup(f"""<script type="application/json" id="cfg">{dumps(config, indent=2)}</script>""")


def widget(name, data):
    # ruleid: python.xss.json-in-script-unescaped
    return f'<div id="{name}"></div><script>render("{name}", {json.dumps(data, default=str)})</script>'


def page_escaped(state):
    safe = json.dumps(state).replace("<", "\\u003c")
    # ok: python.xss.json-in-script-unescaped
    return f"<script>window.STATE = {safe};</script>"


def page_escaped_inline(state):
    # ok: python.xss.json-in-script-unescaped
    return f"<script>window.STATE = {json.dumps(state).replace('<', LT)};</script>"


def attribute(state):
    # ok: python.xss.json-in-script-unescaped
    return f"<div data-state='{json.dumps(state)}'></div>"


def log_line(state):
    # ok: python.xss.json-in-script-unescaped
    return f"state: {json.dumps(state)}"
