# Test cases for header-name-whitespace-stripped.yaml (annotations as in semgrep --test).
# A parser of its own: it frames bodies by Content-Length or by chunked transfer coding.
import re

TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


class BadRequest(Exception):
    pass


def parse_field(line):
    name, value = line.split(b":", 1)
    # ruleid: python.smuggling.header-name-whitespace-stripped
    name = name.strip(b" \t")
    return name, value.strip()


def parse_field_partition(line):
    name, _, value = line.partition(":")
    # ruleid: python.smuggling.header-name-whitespace-stripped
    return name.rstrip().lower(), value.strip()


def parse_field_strict(line):
    name, value = line.split(b":", 1)
    # ok: python.smuggling.header-name-whitespace-stripped
    if name != name.strip() or not TOKEN.fullmatch(name):
        raise BadRequest("invalid field name")
    # the value may carry optional whitespace around it
    # ok: python.smuggling.header-name-whitespace-stripped
    return name, value.strip()


def is_chunked(headers):
    return headers.get(b"TRANSFER_ENCODING", b"").lower() == b"chunked"
