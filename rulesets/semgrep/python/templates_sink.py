# Test cases for templates_sink.yaml (semgrep --test annotations).
import json

import jinja2
from django.template import Template as DjangoTemplate
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from flask import render_template_string
from mako.lookup import TemplateLookup
from mako.template import Template as MakoTemplate
from markupsafe import Markup, escape

BANNER = "<b>maintenance tonight</b>"


def profile_bio(user):
    # ruleid: python.xss.mark-safe-non-literal
    return mark_safe(user.bio)


def comment_html(comment):
    # ruleid: python.xss.mark-safe-non-literal
    return Markup(f"<p>{comment.text}</p>")


def safe_markup(user, comment):
    # ok: python.xss.mark-safe-non-literal
    a = mark_safe("<br>")
    # ok: python.xss.mark-safe-non-literal
    b = mark_safe(BANNER)
    # ok: python.xss.mark-safe-non-literal
    c = mark_safe(format_html("<b>{}</b>", user.name))
    # ok: python.xss.mark-safe-non-literal
    d = Markup(escape(comment.text))
    # ok: python.xss.mark-safe-non-literal
    e = mark_safe(render_to_string("card.html", {"user": user}))
    # ok: python.xss.mark-safe-non-literal
    f = Markup("<p>{}</p>").format(comment.text)
    # ok: python.xss.mark-safe-non-literal
    g = mark_safe(_("<strong>Note:</strong> shown on the public page."))
    return a, b, c, d, e, f, g


def escaped_by_hand(obj, paragraphs, value, autoescape, ctx):
    # ok: python.xss.mark-safe-non-literal
    a = Markup(json.dumps(obj).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
    # ok: python.xss.mark-safe-non-literal
    b = Markup("\n".join(f"<p>{escape(p)}</p>" for p in paragraphs))
    # ok: python.xss.mark-safe-non-literal
    c = Markup(str(value)).striptags()
    if autoescape:
        # ok: python.xss.mark-safe-non-literal
        return Markup(value)
    if ctx.autoescape:
        # ok: python.xss.mark-safe-non-literal
        return Markup(value)
    # ruleid: python.xss.mark-safe-non-literal
    d = Markup("\n".join(f"<p>{escape(p)}</p><i>{value}</i>" for p in paragraphs))
    # ruleid: python.xss.mark-safe-non-literal
    e = Markup(json.dumps(obj).replace("\\n", " "))
    # ruleid: python.xss.mark-safe-non-literal
    f = Markup(f"<b>{value}</b>").upper()
    return a, b, c, d, e, f


def greet(name, template_text):
    # ruleid: python.codeinj.template-from-non-literal
    page = render_template_string("<h1>Hello " + name + "</h1>")
    # ruleid: python.codeinj.template-from-non-literal
    other = jinja2.Template(template_text).render()
    env = jinja2.Environment(autoescape=True)
    # ruleid: python.codeinj.template-from-non-literal
    third = env.from_string(template_text)
    # ruleid: python.codeinj.template-from-non-literal
    fourth = DjangoTemplate(template_text)
    return page, other, third, fourth


def constant_templates(name):
    # ok: python.codeinj.template-from-non-literal
    page = render_template_string("<h1>Hello {{ name }}</h1>", name=name)
    # ok: python.codeinj.template-from-non-literal
    other = jinja2.Template(BANNER).render()
    # ok: python.codeinj.template-from-non-literal
    third = render_template_string(f"<div>{BANNER}</div>")
    # ok: python.xss.mako-without-default-escaping, python.codeinj.template-from-non-literal
    fourth = MakoTemplate(filename="page.mako", default_filters=["h"])
    return page, other, third, fourth


def mako_setup(folder):
    # ruleid: python.xss.mako-without-default-escaping
    lookup = TemplateLookup(directories=[folder])
    # ruleid: python.xss.mako-without-default-escaping
    page = MakoTemplate("<p>${name}</p>")
    # ok: python.xss.mako-without-default-escaping
    safe_lookup = TemplateLookup(directories=[folder], default_filters=["h"])
    return lookup, page, safe_lookup
