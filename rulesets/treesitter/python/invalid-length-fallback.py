# Test cases for invalid-length-fallback.yaml (annotations as in semgrep --test).
# A parser of its own: it frames bodies by Content-Length or by chunked transfer coding.
import logging

CONTENT_LENGTH = "Content-Length"
log = logging.getLogger(__name__)


class BadRequest(Exception):
    pass


class RequestParser:
    def body_length(self, headers):
        if headers.get("Transfer-Encoding", "").lower() == "chunked":
            return None
        try:
            length = int(headers.get("CONTENT_LENGTH", 0))
        except ValueError:
            # ruleid: python.smuggling.invalid-length-fallback
            length = 0
        return length

    def body_length_by_name(self, msg):
        value = msg.headers[CONTENT_LENGTH]
        try:
            self.length = int(value)
        except (TypeError, ValueError):
            # ruleid: python.smuggling.invalid-length-fallback
            pass
        return self.length

    def body_length_refused(self, headers):
        try:
            length = int(headers.get("CONTENT_LENGTH", 0))
        except ValueError:
            # ok: python.smuggling.invalid-length-fallback
            raise BadRequest("Content-Length is invalid") from None
        return length

    def body_length_error_response(self, headers):
        try:
            length = int(headers["Content-Length"])
        except ValueError:
            # ok: python.smuggling.invalid-length-fallback
            self.error = "bad length"
            return None
        return length

    def other_header(self, headers):
        try:
            age = int(headers.get("Max-Age", 0))
        except ValueError:
            # ok: python.smuggling.invalid-length-fallback
            age = 0
        return age


class ChunkedReceiver:
    def control_line(self, line):
        try:
            size = int(line.split(b";", 1)[0], 16)
        except ValueError:
            # ruleid: python.smuggling.invalid-length-fallback
            size = 0
        return size

    def control_line_refused(self, line):
        try:
            size = int(line, 16)
        except ValueError:
            # ok: python.smuggling.invalid-length-fallback
            log.warning("bad chunk size %r", line)
            raise
        return size

    def other_error(self, line):
        try:
            size = int(line, 16)
        except KeyError:
            # ok: python.smuggling.invalid-length-fallback
            size = 0
        return size
