# Test cases for infoleak.yaml (annotations as in semgrep --test).
import logging
import traceback

from flask import request

log = logging.getLogger(__name__)


class User:
    def to_dict(self):
        # ruleid: python.infoleak.password-field-serialized
        return {"username": self.username, "password": self.password}

    def public(self):
        # ok: python.infoleak.password-field-serialized
        return {"username": self.username, "password_set": self.password is not None}


def handler():
    # ruleid: python.infoleak.request-body-in-log
    print("POST", request.path, "BODY", request.body)
    # ok: python.infoleak.request-body-in-log
    print("POST", request.path)
    # ok: python.infoleak.request-body-in-log
    log.info("form fields %s", sorted(request.form.keys()))
    # ok: python.infoleak.request-body-in-log
    save(request.body)
    # ruleid: python.infoleak.request-body-in-log
    log.debug("body %s", request.body)


def save(x):
    return x


def format_error(error):
    formatted = {"message": str(error), "extensions": {}}
    # ruleid: python.infoleak.traceback-in-error-payload
    formatted["extensions"]["debug"] = traceback.format_exc()
    # ok: python.infoleak.traceback-in-error-payload
    log.error("failed: %s", traceback.format_exc())
    # ruleid: python.infoleak.traceback-in-error-payload
    return {"error": "failed", "traceback": traceback.format_exc()}


def report_crash():
    # ok: python.infoleak.traceback-in-error-payload
    lines = traceback.format_exc().splitlines()
    return lines[-1]
