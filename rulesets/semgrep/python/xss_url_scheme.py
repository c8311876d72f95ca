# Test cases for xss_url_scheme.yaml (semgrep --test annotations).
import mimetypes
import re
from urllib.parse import urlsplit

import tornado.web

# ruleid: python.xss.url-scheme-denylist
BAD_SCHEMES = ("javascript:", "vbscript:")
# ok: python.xss.url-scheme-denylist
SAFE_SCHEMES = ("http", "https", "mailto")
# ruleid: python.xss.url-scheme-denylist
BLOCKED_SCHEMES = frozenset(["javascript", "vbscript"])
# ok: python.xss.url-scheme-denylist
HIGHLIGHTED_LANGUAGES = ["python", "javascript"]
# ok: python.xss.url-scheme-denylist
TEXT_TYPES = {"application/javascript", "text/javascript", "application/x-javascript"}

# ruleid: python.xss.url-scheme-denylist
_looks_dangerous = re.compile(r"(?:javascript|vbscript|data):", re.I).search

# ruleid: python.xss.data-image-url-allowed
_is_inline_image = re.compile(r"^data:image/.+;base64", re.I).search
# ok: python.xss.data-image-url-allowed
_is_raster_image = re.compile(r"^data:image/(?:png|jpeg|gif|webp);base64,", re.I).match


def clean_href(href):
    # ruleid: python.xss.url-scheme-denylist
    if href.startswith("javascript:"):
        return "#"
    # ruleid: python.xss.url-scheme-denylist
    if "javascript:" in href.lower():
        return "#"
    # ruleid: python.xss.url-scheme-denylist
    if href.split(":", 1)[0].strip().lower() in ("javascript", "vbscript"):
        return "#"
    # ruleid: python.xss.url-scheme-denylist
    href = re.sub(r"javascript:", "", href)
    # ruleid: python.xss.url-scheme-denylist
    if urlsplit(href).scheme == "javascript":
        return "#"
    return href


def highlight(code, language):
    # ok: python.xss.url-scheme-denylist
    if language == "javascript":
        return code
    return code


def allowed_href(href):
    # ok: python.xss.url-scheme-denylist
    scheme = urlsplit(href.strip()).scheme.lower()
    # ok: python.xss.url-scheme-denylist
    if scheme and scheme not in SAFE_SCHEMES:
        return None
    return href


def image_src(src):
    # ruleid: python.xss.data-image-url-allowed
    if src.startswith("data:image/"):
        return src
    # ruleid: python.xss.data-image-url-allowed
    if re.match(r"data:image/(png|gif|svg\+xml);", src):
        return src
    # ok: python.xss.data-image-url-allowed
    if src.startswith(("data:image/png;", "data:image/jpeg;")):
        return src
    return None


def thumbnail(encoded):
    # ok: python.xss.data-image-url-allowed
    return "data:image/png;base64," + encoded


def placeholder_link():
    # ok: python.xss.url-scheme-denylist
    return '<a href="javascript:void(0)">more</a>'


class FileHandler(tornado.web.RequestHandler):
    def get(self, name):
        mime = mimetypes.guess_type(name)[0]
        if mime is not None:
            # ruleid: python.xss.content-type-only-when-guessed
            self.set_header("Content-Type", mime)
        self.write(self.read(name))

    def head(self, name):
        mime, _encoding = mimetypes.guess_type(name)
        if mime:
            # ruleid: python.xss.content-type-only-when-guessed
            self.set_header("content-type", mime)

    def put(self, name):
        mime = mimetypes.guess_type(name)[0]
        if mime is not None:
            # ok: python.xss.content-type-only-when-guessed
            self.set_header("Content-Type", mime)
        else:
            self.set_header("Content-Type", "application/octet-stream")

    def post(self, name):
        mime, _encoding = mimetypes.guess_type(name)
        # ok: python.xss.content-type-only-when-guessed
        self.set_header("Content-Type", mime or "application/octet-stream")

    def patch(self, name):
        mime = mimetypes.guess_type(name)[0]
        if mime:
            # ok: python.xss.content-type-only-when-guessed
            self.set_header("Content-Length", mime)

    def read(self, name):
        return b""


def wsgi_file(response, name):
    mime = mimetypes.guess_type(name)[0]
    if mime:
        # ruleid: python.xss.content-type-only-when-guessed
        response.content_type = mime
    return response


def sanitize_uri(value, allowed):
    from xml.sax.saxutils import unescape

    plain = re.sub(r"[\x00-\x20]+", "", unescape(value)).lower()
    # ruleid: python.xss.check-after-xml-unescape
    if re.match(r"^[a-z0-9+.-]+:", plain) and plain.split(":")[0] not in allowed:
        return None
    # ruleid: python.xss.check-after-xml-unescape
    if unescape(value).startswith("#"):
        return value
    return value


def sanitize_uri_decoded(value, allowed):
    import html

    plain = re.sub(r"[\x00-\x20]+", "", html.unescape(value)).lower()
    # ok: python.xss.check-after-xml-unescape
    if urlsplit(plain).scheme not in allowed:
        return None
    return value


def xml_text(node):
    from xml.sax.saxutils import unescape

    # ok: python.xss.check-after-xml-unescape
    return unescape(node.text)


def link_html(url, title):
    import cgi
    import html
    from xml.sax.saxutils import escape, quoteattr

    # ruleid: python.xss.attribute-escape-without-quotes
    a = '<a href="' + escape(url) + '">' + escape(title) + "</a>"
    # ruleid: python.xss.attribute-escape-without-quotes
    b = '<a href="%s">%s</a>' % (cgi.escape(url), cgi.escape(title))
    # ruleid: python.xss.attribute-escape-without-quotes
    c = "<img alt='{}'>".format(html.escape(title, quote=False))
    # ok: python.xss.attribute-escape-without-quotes
    d = '<a href="%s">' % html.escape(url)
    # ok: python.xss.attribute-escape-without-quotes
    e = "<a href=" + quoteattr(url) + ">"
    # ok: python.xss.attribute-escape-without-quotes
    f = "<p>" + escape(title) + "</p>"
    # ok: python.xss.attribute-escape-without-quotes
    g = '<a href="' + escape(url, {'"': "&quot;", "'": "&#x27;"}) + '">'
    return a + b + c + d + e + f + g
