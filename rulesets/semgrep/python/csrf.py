# Test cases for csrf.yaml (annotations as in semgrep --test).
import tornado.web
from django.views.decorators.csrf import csrf_exempt
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()


# ruleid: python.csrf.csrf-protection-disabled
@csrf_exempt
def transfer(request):
    return None


# ruleid: python.csrf.csrf-protection-disabled
@csrf.exempt
def webhook():
    return None


# ok: python.csrf.csrf-protection-disabled
def normal(request):
    return None


class Config:
    # ruleid: python.csrf.csrf-protection-disabled
    WTF_CSRF_ENABLED = False
    # ok: python.csrf.csrf-protection-disabled
    WTF_CSRF_TIME_LIMIT = None


def make_app(handlers):
    # ruleid: python.csrf.tornado-xsrf-not-enabled
    return tornado.web.Application(handlers, debug=False)


def make_safe_app(handlers):
    # ok: python.csrf.tornado-xsrf-not-enabled
    return tornado.web.Application(handlers, xsrf_cookies=True)


class App(tornado.web.Application):
    def __init__(self, handlers):
        settings = {"template_path": "templates", "xsrf_cookies": True}
        # ok: python.csrf.tornado-xsrf-not-enabled
        tornado.web.Application.__init__(self, handlers, **settings)


class OldApp(tornado.web.Application):
    def __init__(self, handlers):
        settings = {"template_path": "templates"}
        # ruleid: python.csrf.tornado-xsrf-not-enabled
        tornado.web.Application.__init__(self, handlers, **settings)
