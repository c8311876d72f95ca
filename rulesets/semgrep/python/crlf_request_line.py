# Test cases for crlf_request_line.yaml (semgrep --test annotations).


class ClientRequest:
    def status_line(self, path):
        # ruleid: python.headeri.request-line-built-from-non-constant
        return "{0} {1} HTTP/{2[0]}.{2[1]}".format(self.method, path, self.version)

    def status_line_percent(self, path):
        # ruleid: python.headeri.request-line-built-from-non-constant
        return "%s %s HTTP/1.1\r\n" % (self.method, path)

    def status_line_fstring(self, path):
        # ruleid: python.headeri.request-line-built-from-non-constant
        return f"{self.method} {path} HTTP/{self.version}"

    def fixed_line(self):
        # ok: python.headeri.request-line-built-from-non-constant
        return "GET / HTTP/1.1\r\n"

    def status_of_response(self, code, reason):
        # a response status line has no method or target to split
        # ok: python.headeri.request-line-built-from-non-constant
        return "HTTP/1.1 {} {}".format(code, reason)
