# Test cases for lax-length-parse.yaml (annotations as in semgrep --test).
# A parser of its own: it frames bodies by Content-Length or by chunked transfer coding.
import re

CONTENT_LENGTH = "Content-Length"
DIGITS = re.compile(r"[0-9]+", re.ASCII)
HEX = re.compile(rb"[0-9a-fA-F]+")


def body_length(headers):
    if headers.get("Transfer-Encoding") == "chunked":
        return None
    # ruleid: python.smuggling.lax-length-parse
    return int(headers.get("CONTENT_LENGTH", 0))


def body_length_checked_by_isdigit(msg):
    value = msg.headers.get(CONTENT_LENGTH)
    if value is None or not value.strip().isdigit():
        raise ValueError("bad length")
    # ruleid: python.smuggling.lax-length-parse
    return int(value)


def body_length_by_key(environ):
    # ruleid: python.smuggling.lax-length-parse
    return int(environ["CONTENT_LENGTH"])


def body_length_strict(msg):
    value = msg.headers.get(CONTENT_LENGTH)
    if value is None or not DIGITS.fullmatch(value):
        raise ValueError("bad length")
    # ok: python.smuggling.lax-length-parse
    return int(value)


class ChunkedReader:
    def control_line(self, line):
        try:
            # ruleid: python.smuggling.lax-length-parse
            size = int(line.strip(), 16)
        except ValueError:
            size = 0
        return size

    def control_line_strict(self, line):
        if not re.fullmatch(HEX, line):
            raise ValueError("bad chunk size")
        # ok: python.smuggling.lax-length-parse
        return int(line, 16)


def other_numbers(headers, text):
    # a header that does not frame the body, and a hex escape outside any chunk code
    # ok: python.smuggling.lax-length-parse
    age = int(headers.get("Max-Age", 0))
    # ok: python.smuggling.lax-length-parse
    return age, int(text, 16)


class ChunkedParser:
    def size_of(self, size_b):
        if not re.fullmatch(HEX, size_b):
            raise ValueError("bad chunk size")
        # ok: python.smuggling.lax-length-parse
        return int(bytes(size_b), 16)


def body_length_encoded_check(headers):
    value = headers.get("CONTENT_LENGTH")
    if not DIGITS.match(value.encode("latin-1")):
        raise ValueError("bad length")
    # ok: python.smuggling.lax-length-parse
    return int(value)
