# Test cases for dos_replace_loop.yaml (semgrep --test annotations).
import re

ESCAPE_RE = re.compile(r"%[a-fA-F0-9]{2}")


def normalise_escapes(component):
    found = ESCAPE_RE.findall(component)
    # ruleid: python.dos.replace-each-match-in-loop
    for enc in found:
        if not enc.isupper():
            component = component.replace(enc, enc.upper())
    return component


def expand_variables(text, values):
    # ruleid: python.dos.replace-each-match-in-loop
    for name in re.findall(r"\$\{(\w+)\}", text):
        text = text.replace("${" + name + "}", values.get(name, ""))
    return text


def strip_tags(html):
    # ruleid: python.dos.replace-each-match-in-loop
    for tag in ESCAPE_RE.findall(html):
        html = html.replace(tag, "")
    return html


def normalise_escapes_fixed(component):
    # the fix's form: one pass over the string
    # ok: python.dos.replace-each-match-in-loop
    component, count = ESCAPE_RE.subn(lambda m: m.group(0).upper(), component)
    return component, count


def rename_all(text, renames):
    # a fixed table of replacements: the loop does not grow with the input
    # ok: python.dos.replace-each-match-in-loop
    for old, new in renames.items():
        text = text.replace(old, new)
    return text


def collect(text):
    out = []
    # ok: python.dos.replace-each-match-in-loop
    for enc in ESCAPE_RE.findall(text):
        out.append(enc.upper())
    return out
