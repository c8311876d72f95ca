# Test cases for xss_url_attributes.yaml (semgrep --test annotations).

# ruleid: python.xss.url-attribute-list-without-formaction
link_attrs = frozenset([
    "action", "background", "cite", "href", "longdesc", "src",
    "usemap",
])

# ruleid: python.xss.url-attribute-list-without-formaction
URL_ATTRIBUTES = {"href", "src", "action", "poster"}

# ok: python.xss.url-attribute-list-without-formaction
SAFE_LINK_ATTRS = frozenset(["action", "formaction", "href", "src"])

# ok: python.xss.url-attribute-list-without-formaction
ALLOWED_ATTRS = ["href", "src", "title"]


class Cleaner:
    # ruleid: python.xss.url-attribute-list-without-formaction
    uri_attrs = ("href", "src", "action")

    # ok: python.xss.url-attribute-list-without-formaction
    extra = ("href", "src", "action", 'formaction')

# an allow-list of every permitted attribute: formaction, not in it, is removed
# ok: python.xss.url-attribute-list-without-formaction
safe_attrs = frozenset(["accept", "action", "alt", "class", "href", "id", "src", "title"])

# namespaced pairs are another structure; not read as a list of names
# ok: python.xss.url-attribute-list-without-formaction
attr_val_is_uri = frozenset(((None, "href"), (None, "src"), (None, "action")))
