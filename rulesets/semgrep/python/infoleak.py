# Test cases for infoleak.yaml (annotations as in semgrep --test).
import logging

from flask import request

log = logging.getLogger(__name__)


class User:
    def to_dict(self):
        # ruleid: python.infoleak.password-field-serialized
        return {"username": self.username, "password": self.password}

    def public(self):
        # ok: python.infoleak.password-field-serialized
        return {"username": self.username, "password_set": self.password is not None}


def login(username, password, api_key):
    # ruleid: python.infoleak.secret-in-log
    log.info("login %s with %s", username, password)
    # ruleid: python.infoleak.secret-in-log
    logging.debug(f"calling with key {api_key}")
    # ok: python.infoleak.secret-in-log
    log.info("login %s", username)
    # ok: python.infoleak.secret-in-log
    log.info("password length %d", len_of(password_policy))


def handler():
    # ruleid: python.infoleak.secret-in-log
    print("POST", request.path, "BODY", request.body)
    # ok: python.infoleak.secret-in-log
    print("POST", request.path)
    # ok: python.infoleak.secret-in-log
    save(request.body)
    # ruleid: python.infoleak.secret-in-log
    log.debug("body %s", request.body)


def save(x):
    return x


def len_of(x):
    return len(x)


password_policy = "strong"
