# Test cases for headeri_raw_lines.yaml (semgrep --test annotations).
import re

CTRL = re.compile(r"[\x00-\x1f]")


class Conn:
    def send_headers(self, status, headers, cookies):
        lines = ["HTTP/1.1 %d OK" % status]
        lines.append("Content-Length: " + str(self.length))
        for name, value in list(headers.items()) + cookies:
            # ruleid: python.headeri.raw-header-line-without-crlf-check
            lines.append("%s: %s" % (name, value))
        self.sock.sendall("\r\n".join(lines).encode("utf-8") + b"\r\n\r\n")

    def send_headers_format(self, headers):
        out = []
        for name, value in headers:
            # ruleid: python.headeri.raw-header-line-without-crlf-check
            out.append("{}: {}".format(name, value))
        self.sock.sendall(("\r\n".join(out) + "\r\n\r\n").encode())

    def send_headers_fstring(self, headers):
        out = []
        for name, value in headers:
            # ruleid: python.headeri.raw-header-line-without-crlf-check
            out.append(f"{name}: {value}")
        self.transport.write("\r\n".join(out).encode())

    def write_header(self, name, value):
        # ruleid: python.headeri.raw-header-line-without-crlf-check
        self.wfile.write(("%s: %s\r\n" % (name, value)).encode("latin-1"))

    def send_headers_checked(self, headers):
        lines = []
        for name, value in headers:
            # ok: python.headeri.raw-header-line-without-crlf-check
            lines.append("%s: %s" % (name, value))
        for line in lines:
            if CTRL.search(line):
                raise ValueError("control character in a header")
        self.sock.sendall("\r\n".join(lines).encode())

    def send_headers_value_checked(self, headers):
        lines = []
        for name, value in headers:
            if "\n" in value or "\r" in value:
                raise ValueError("line break in a header value")
            # ok: python.headeri.raw-header-line-without-crlf-check
            lines.append("%s: %s" % (name, value))
        self.sock.sendall("\r\n".join(lines).encode())

    def send_headers_validated(self, headers):
        lines = []
        for name, value in headers:
            if not self.is_legal_value(value):
                raise ValueError(f"bad header value {value!r}")
            # ok: python.headeri.raw-header-line-without-crlf-check
            lines.append(b"%s: %s\r\n" % (name, value))
        self.send(b"".join(lines))

    def send_headers_stripped(self, headers):
        lines = []
        for name, value in headers:
            value = value.replace("\r", "").replace("\n", "")
            # ok: python.headeri.raw-header-line-without-crlf-check
            lines.append("%s: %s" % (name, value))
        self.sock.sendall("\r\n".join(lines).encode())

    def send_constant(self, name):
        lines = []
        # ok: python.headeri.raw-header-line-without-crlf-check
        lines.append("%s: %s" % (name, "close"))
        # ok: python.headeri.raw-header-line-without-crlf-check
        lines.append("%s: %s" % (name, len(self.body)))
        self.sock.sendall("\r\n".join(lines).encode())


def describe(items):
    out = []
    for key, value in items:
        # ok: python.headeri.raw-header-line-without-crlf-check
        out.append("%s: %s" % (key, value))
    return "\n".join(out)


def log_line(log, key, value):
    # ok: python.headeri.raw-header-line-without-crlf-check
    log.write("%s: %s\n" % (key, value))
