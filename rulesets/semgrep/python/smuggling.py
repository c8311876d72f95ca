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


def parse_headers(headers):
    te = headers.pop("TRANSFER_ENCODING", "")
    # ruleid: python.smuggling.transfer-encoding-whole-value
    if te.lower() == "chunked":
        return True
    # ruleid: python.smuggling.transfer-encoding-whole-value
    return headers.get("Transfer-Encoding") == "chunked"


def parse_codings(headers):
    te = headers.get("Transfer-Encoding", "")
    codings = [c.strip(" \t").lower() for c in te.split(",") if c]
    # ok: python.smuggling.transfer-encoding-whole-value
    return bool(codings) and codings[-1] == "chunked"


def parse_last(headers):
    te = headers.get("Transfer-Encoding", "")
    # ok: python.smuggling.transfer-encoding-whole-value
    return te.rsplit(",", maxsplit=1)[-1].strip(" \t").lower() == "chunked"


def test_request_headers(request):
    # ok: python.smuggling.transfer-encoding-whole-value
    assert request.headers["Transfer-Encoding"] == "chunked"
    # ok: python.smuggling.transfer-encoding-substring
    assert "chunked" in request.headers["Transfer-Encoding"].lower()
