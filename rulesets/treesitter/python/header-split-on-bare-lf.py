# Test cases for header-split-on-bare-lf.yaml (annotations as in semgrep --test).
# A parser of its own: it frames bodies by Content-Length or by chunked transfer coding.


class BadRequest(Exception):
    pass


class RequestParser:
    def parse_head(self, header_plus):
        # ruleid: python.smuggling.header-split-on-bare-lf
        index = header_plus.find(b"\n")
        first_line = header_plus[:index].rstrip()
        # ruleid: python.smuggling.header-split-on-bare-lf
        lines = header_plus[index + 1 :].split(b"\n")
        return first_line, lines

    def continuation(self):
        # ruleid: python.smuggling.header-split-on-bare-lf
        return self.header.split("\n")

    def field_lines(self, headers):
        # ruleid: python.smuggling.header-split-on-bare-lf
        return [line.rstrip(b"\r") for line in headers.splitlines()]

    def parse_head_strict(self, header_plus):
        # ok: python.smuggling.header-split-on-bare-lf
        index = header_plus.find(b"\r\n")
        if index < 0:
            raise BadRequest("no end of the request line")
        # ok: python.smuggling.header-split-on-bare-lf
        lines = header_plus[index + 2 :].split(b"\r\n")
        for line in lines:
            if b"\r" in line or b"\n" in line:
                raise BadRequest("bare CR or LF in a header line")
        return lines

    def body_lines(self, body):
        # not the head: a body is the application's to split
        # ok: python.smuggling.header-split-on-bare-lf
        return body.split(b"\n")

    def is_chunked(self, headers):
        return headers.get("Transfer-Encoding", "").lower() == "chunked"
