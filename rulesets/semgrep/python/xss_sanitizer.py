# Test cases for xss_sanitizer.yaml (semgrep --test annotations).
import bleach
import nh3
from html5lib.filters import base
from html5lib.serializer import HTMLSerializer
from lxml.html.clean import Cleaner

# ruleid: python.xss.sanitizer-allows-dangerous-element
ALLOWED_TAGS = ["a", "b", "em", "p", "style"]
# ruleid: python.xss.sanitizer-allows-dangerous-element
allowed_tags = bleach.sanitizer.ALLOWED_TAGS | {"svg", "path"}
# ruleid: python.xss.sanitizer-allows-dangerous-element
MARKDOWN_ALLOWED_ELEMENTS = ("p", "pre", "code", "math")
# ok: python.xss.sanitizer-allows-dangerous-element
SAFE_TAGS = ["a", "b", "em", "p", "pre", "code", "img"]
# ok: python.xss.sanitizer-allows-dangerous-element
BLOCKED_TAGS = ["script", "style", "iframe"]
# ok: python.xss.sanitizer-allows-dangerous-element
RAW_TEXT_ELEMENTS = {"script", "style"}


def render_comment(text):
    # ruleid: python.xss.sanitizer-allows-dangerous-element
    return bleach.clean(text, tags=["p", "a", "iframe"], attributes={"iframe": ["src"]})


def render_note(text):
    # ruleid: python.xss.sanitizer-allows-dangerous-element
    return nh3.clean(text, tags=nh3.ALLOWED_TAGS | {"noscript"})


def render_bio(text):
    # ok: python.xss.sanitizer-allows-dangerous-element
    return bleach.clean(text, tags=["p", "a", "strong"])


def remove_bad(doc):
    # ok: python.xss.sanitizer-allows-dangerous-element
    return Cleaner(kill_tags=["script", "style"]).clean_html(doc)


def clean_keep_comments(text):
    # ruleid: python.xss.sanitizer-keeps-comments
    return bleach.clean(text, tags=["p"], strip_comments=False)


def clean_lxml_keep_comments(doc):
    # ruleid: python.xss.sanitizer-keeps-comments
    return Cleaner(comments=False, scripts=True).clean_html(doc)


def clean_default(text):
    # ok: python.xss.sanitizer-keeps-comments
    return bleach.clean(text, tags=["p"], strip_comments=True)


class KeepComments(base.Filter):
    def sanitize_token(self, token):
        kind = token["type"]
        if kind in ("StartTag", "EndTag"):
            return self.allow_token(token)
        # ruleid: python.xss.sanitizer-keeps-comments
        elif kind == "Comment":
            if not self.strip_comments:
                return token
            return None
        return token


class PassComments(base.Filter):
    def __iter__(self):
        for token in base.Filter.__iter__(self):
            # ruleid: python.xss.sanitizer-keeps-comments
            if token["type"] == "Comment":
                yield token


class DropComments(base.Filter):
    def sanitize_token(self, token):
        kind = token["type"]
        if kind == "StartTag":
            return self.allow_token(token)
        # ok: python.xss.sanitizer-keeps-comments
        elif kind == "Comment":
            pass
        else:
            return token


class EscapeComments(base.Filter):
    def sanitize_token(self, token):
        # ok: python.xss.sanitizer-keeps-comments
        if token["type"] == "Comment":
            token["data"] = self.escape(token["data"])
            return token
        # ok: python.xss.sanitizer-keeps-comments
        return token


class Serializer(HTMLSerializer):
    # ruleid: python.xss.serializer-unquoted-attributes
    quote_attr_values = False


def serialize(tree, walker):
    # ruleid: python.xss.serializer-unquoted-attributes
    s = HTMLSerializer(quote_attr_values="spec", omit_optional_tags=False)
    # ok: python.xss.serializer-unquoted-attributes
    t = HTMLSerializer(quote_attr_values="always")
    return s.render(walker(tree)) + t.render(walker(tree))
