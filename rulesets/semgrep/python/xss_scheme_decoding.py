# Test cases for xss_scheme_decoding.yaml (semgrep --test annotations).
import html
import re
import urllib.parse
from urllib.parse import unquote, unquote_plus

_is_javascript_scheme = re.compile(r"(?:javascript|vbscript):", re.I).search
UNSAFE_URL_RE = re.compile(r"^\s*(?:javascript|vbscript|data):", re.I)
_whitespace = re.compile(r"[\s\x00-\x20]+")


class LinkCleaner:
    def strip_script_link(self, link):
        # spaces inside the scheme are removed, but `javascript%3a` and `&#106;` survive
        new = _whitespace.sub("", link)
        # ruleid: python.xss.script-scheme-check-before-decoding
        if _is_javascript_scheme(new):
            return ""
        return link

    def strip_script_link_decoded(self, link):
        new = _whitespace.sub("", unquote_plus(link))
        # ok: python.xss.script-scheme-check-before-decoding
        if _is_javascript_scheme(new):
            return ""
        return link

    def unsafe_href(self, href):
        # ruleid: python.xss.script-scheme-check-before-decoding
        return self.is_unsafe_url(href)

    def is_unsafe_url(self, url):
        return False


def filter_href(href):
    # ruleid: python.xss.script-scheme-check-before-decoding
    if UNSAFE_URL_RE.match(href):
        return "#"
    return href


def filter_href_regex(href):
    # ruleid: python.xss.script-scheme-check-before-decoding
    if re.match(UNSAFE_URL_RE, href.strip()):
        return "#"
    return href


def filter_href_unescaped(href):
    value = html.unescape(href).strip()
    # ok: python.xss.script-scheme-check-before-decoding
    if UNSAFE_URL_RE.match(value):
        return "#"
    return href


def filter_href_unquoted(href):
    value = urllib.parse.unquote(href)
    # ok: python.xss.script-scheme-check-before-decoding
    if UNSAFE_URL_RE.match(value):
        return "#"
    return href


def filter_href_bare_unquote(href):
    value = unquote(html.unescape(href))
    # ok: python.xss.script-scheme-check-before-decoding
    if _is_javascript_scheme(value):
        return "#"
    return href


def other_checks(name, path):
    # ok: python.xss.script-scheme-check-before-decoding
    if is_safe_url(path):
        return name
    # ok: python.xss.script-scheme-check-before-decoding
    if script_runner(name):
        return path
    # ok: python.xss.script-scheme-check-before-decoding
    return _is_javascript_scheme("javascript:void(0)")


def is_safe_url(url):
    return True


def script_runner(name):
    return name
