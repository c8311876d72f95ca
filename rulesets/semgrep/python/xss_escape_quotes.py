# Test cases for xss_escape_quotes.yaml (semgrep --test annotations).


def escape(text, quote=False):
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if quote:
        text = text.replace('"', "&quot;").replace("'", "&#39;")
    return text


class Renderer:
    def footnote_ref(self, key, index):
        # ruleid: python.xss.local-escape-without-quotes-in-attribute
        return '<sup id="fnref-%s"><a href="#fn-%s">%d</a></sup>' % (escape(key), escape(key), index)

    def link(self, url, text):
        # ruleid: python.xss.local-escape-without-quotes-in-attribute
        return '<a href="' + escape(url) + '">' + escape(text) + "</a>"

    def image(self, src, alt):
        # ruleid: python.xss.local-escape-without-quotes-in-attribute
        return '<img src="{}" alt="{}">'.format(escape(src), alt)

    def link_quoted(self, url, text):
        # ok: python.xss.local-escape-without-quotes-in-attribute
        return '<a href="%s">%s</a>' % (escape(url, quote=True), escape(text))

    def paragraph(self, text):
        # ok: python.xss.local-escape-without-quotes-in-attribute
        return "<p>%s</p>\n" % escape(text)


def html_escape(s: str, quote: bool = False) -> str:
    return escape(s, quote)


def typed_helper(name: str) -> str:
    # ruleid: python.xss.local-escape-without-quotes-in-attribute
    return '<input value="' + html_escape(name) + '">'
