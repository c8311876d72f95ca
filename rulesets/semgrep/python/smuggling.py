# Test cases for smuggling.yaml (semgrep --test annotations).
TRANSFER_ENCODING = "Transfer-Encoding"


def is_chunked(headers):
    te = headers.get(TRANSFER_ENCODING)
    # ruleid: python.smuggling.transfer-encoding-substring
    if te and "chunked" in te.lower():
        return True
    return False


def is_chunked_environ(environ):
    # ruleid: python.smuggling.transfer-encoding-substring
    return "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()


def is_chunked_item(headers):
    # ruleid: python.smuggling.transfer-encoding-substring
    return "chunked" in headers["transfer-encoding"]


def is_chunked_split(headers):
    codings = [c.strip().lower() for c in headers.get(TRANSFER_ENCODING, "").split(",")]
    # ok: python.smuggling.transfer-encoding-substring
    return bool(codings) and codings[-1] == "chunked"


def send(kwargs):
    # a keyword named chunked, not a header value
    # ok: python.smuggling.transfer-encoding-substring
    return "chunked" in kwargs
