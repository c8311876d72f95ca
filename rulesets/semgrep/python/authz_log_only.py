# Test cases for authz_log_only.yaml (annotations as in semgrep --test).
import os

import logging

log = logging.getLogger(__name__)


class Service:
    def upload_log_data(self, name, data, token=None):
        obj = self.systems.find(name=name)
        # ruleid: python.authz.failed-check-only-logged
        if obj is None:
            self._log("upload - system '%s' not found" % name, token=token)
        return self._write(name, data)

    def upload_log_data_fixed(self, name, data, token=None):
        obj = self.systems.find(name=name)
        # ok: python.authz.failed-check-only-logged
        if obj is None:
            self._log("upload - system '%s' not found" % name, token=token)
            return False
        return self._write(obj.name, data)


def delete_post(user, post):
    # ruleid: python.authz.failed-check-only-logged
    if not user.can_delete(post):
        log.warning("permission denied for %s", user)
    post.delete()


def last_step(cache, key):
    # nothing follows the check: nothing is done for lack of a refusal
    # ok: python.authz.failed-check-only-logged
    if key not in cache:
        log.info("key %s not found", key)


def optional_plugin(name):
    plugin = find_plugin(name)
    # the message does not say the request must stop
    # ok: python.authz.failed-check-only-logged
    if plugin is None:
        log.info("no plugin %s, using the default", name)
    return plugin or DEFAULT


def send_book(path, name):
    # a file that may be missing: the response says so by itself
    # ok: python.authz.failed-check-only-logged
    if not os.path.isfile(path):
        log.error("File not found: %s", path)
    return send_from_directory(path, name)
