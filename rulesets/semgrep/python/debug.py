# Test cases for debug.yaml (semgrep --test annotations).
import logging
import os
import traceback

import tornado.web
from aiohttp import web
from django.http import HttpResponse, JsonResponse
from flask import Flask, jsonify

# ruleid: python.debug.debug-mode-enabled
DEBUG = True

app = Flask(__name__)
# ruleid: python.debug.debug-mode-enabled
app.debug = True
# ruleid: python.debug.debug-mode-enabled
app.config["DEBUG"] = True
logger = logging.getLogger(__name__)


class DevelopmentConfig:
    # ok: python.debug.debug-mode-enabled
    DEBUG = True


class Application(tornado.web.Application):
    def __init__(self):
        settings = {
            "template_path": "templates",
            "debug": True,
        }
        # ruleid: python.debug.debug-mode-enabled
        tornado.web.Application.__init__(self, [], **settings)


def make_app():
    # ruleid: python.debug.debug-mode-enabled
    return web.Application(debug=True)


@app.route("/pay", methods=["POST"])
def pay():
    try:
        charge()
    except Exception as e:
        # ruleid: python.debug.exception-text-in-response
        return jsonify({"error": str(e)}), 500
    return "ok"


@app.route("/report")
def report():
    try:
        build()
    except ValueError as exc:
        # ruleid: python.debug.exception-text-in-response
        return f"could not build the report: {exc}"
    except Exception:
        # ruleid: python.debug.exception-text-in-response
        return traceback.format_exc(), 500
    return "ok"


def django_view(request):
    try:
        build()
    except Exception as err:
        # ruleid: python.debug.exception-text-in-response
        return HttpResponse("Error: %s" % err, status=500)
    return JsonResponse({})


def helper(path, log_file):
    try:
        return open(path).read()
    except OSError as e:
        # ok: python.debug.exception-text-in-response
        log_file.write(str(e))
        # ok: python.debug.exception-text-in-response
        return str(e)


class Handler(tornado.web.RequestHandler):
    def get(self):
        try:
            build()
        except Exception as e:
            # ruleid: python.debug.exception-text-in-response
            self.write("failed: " + str(e))


@app.route("/quiet")
def quiet():
    try:
        build()
    except Exception as e:
        logger.exception("build failed: %s", e)
        # ok: python.debug.exception-text-in-response
        return jsonify({"error": "internal error"}), 500
    return "ok"


if __name__ == "__main__":
    # ruleid: python.debug.debug-mode-enabled
    app.run(host="0.0.0.0", debug=True)
    # ok: python.debug.debug-mode-enabled
    app.run(debug=os.environ.get("FLASK_DEBUG") == "1")


def charge():
    pass


def build():
    pass
