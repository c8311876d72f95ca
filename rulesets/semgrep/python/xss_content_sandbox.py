# Test cases for xss_content_sandbox.yaml (semgrep --test annotations).
import mimetypes

from tornado import web


# ruleid: python.xss.dynamic-content-type-without-sandbox
class ConvertHandler(web.RequestHandler):
    @web.authenticated
    def get(self, fmt, path):
        converter = get_converter(fmt)
        output = converter.convert(self.load(path))
        if converter.output_mimetype:
            self.set_header("Content-Type", "%s; charset=utf-8" % converter.output_mimetype)
        self.finish(output)

    def load(self, path):
        return path


# ruleid: python.xss.dynamic-content-type-without-sandbox
class RawFileHandler(web.RequestHandler):
    def get(self, name):
        record = self.settings["store"].get(name)
        self.set_header("Content-Type", record.mime_type)
        self.finish(record.data)


# ok: python.xss.dynamic-content-type-without-sandbox
class SandboxedConvertHandler(web.RequestHandler):
    @property
    def content_security_policy(self):
        return "default-src 'none'; sandbox allow-scripts"

    @web.authenticated
    def get(self, fmt, path):
        converter = get_converter(fmt)
        self.set_header("Content-Type", "%s; charset=utf-8" % converter.output_mimetype)
        self.finish(converter.convert(path))


# ok: python.xss.dynamic-content-type-without-sandbox
class HeaderSandboxHandler(web.RequestHandler):
    def get(self, name):
        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
        self.set_header("Content-Security-Policy", "sandbox")
        self.set_header("Content-Type", mime)
        self.finish(self.settings["store"].get(name))


# ok: python.xss.dynamic-content-type-without-sandbox
class JsonHandler(web.RequestHandler):
    def get(self):
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish("{}")


def get_converter(fmt):
    return fmt
