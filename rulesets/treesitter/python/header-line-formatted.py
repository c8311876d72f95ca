# Test cases for header-line-formatted.yaml (annotations as in semgrep --test).
import re

USER_AGENT = "demo/1.0"
_BAD_VALUE = re.compile(r"[\r\n\0]")


def render_headers(headers):
    lines = []
    for name, value in headers.items():
        # ruleid: python.headeri.header-line-formatted
        lines.append("%s: %s\r\n" % (name, value))
    return "".join(lines)


def render_bytes(headers):
    out = b""
    for name, value in headers:
        # ruleid: python.headeri.header-line-formatted
        out += b"%s: %s\r\n" % (name, value)
    return out


def part_header(name, filename):
    # ruleid: python.headeri.header-line-formatted
    return f"Content-Disposition: form-data; name={name}\r\n".encode()


def part_header_fstring(key, value):
    # ruleid: python.headeri.header-line-formatted
    return f"{key}: {value}\r\n"


def request_head(host, agent):
    # ruleid: python.headeri.header-line-formatted
    head = "Host: {}\r\n".format(host)
    # ruleid: python.headeri.header-line-formatted
    return head + "User-Agent: " + agent + "\r\n"


def render_checked(headers):
    lines = []
    for name, value in headers.items():
        if "\n" in value or "\r" in value:
            raise ValueError("header value holds a line break")
        # ok: python.headeri.header-line-formatted
        lines.append("%s: %s\r\n" % (name, value))
    return "".join(lines)


def render_pattern_checked(name, value):
    if _BAD_VALUE.search(value):
        raise ValueError("bad header value")
    # ok: python.headeri.header-line-formatted
    return f"{name}: {value}\r\n"


def constants_and_numbers(body):
    # ok: python.headeri.header-line-formatted
    agent = "User-Agent: %s\r\n" % USER_AGENT
    # ok: python.headeri.header-line-formatted
    length = "Content-Length: %d\r\n" % len(body)
    # ok: python.headeri.header-line-formatted
    size = f"Content-Length: {len(body)}\r\n"
    # ok: python.headeri.header-line-formatted
    chunk = "%x\r\n" % len(body)
    return agent + length + size + chunk


def _clean_header(value):
    return value.replace("\r", " ").replace("\n", " ")


def render_cleaned(headers):
    # ok: python.headeri.header-line-formatted
    return "".join(_clean_header(k) + ": " + _clean_header(v) + "\r\n" for k, v in headers.items())
