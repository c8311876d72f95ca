# Test cases for pathtraver_dotdot.yaml (semgrep --test annotations).
import os


def check_download(names):
    for name in names:
        # ruleid: python.pathtraver.dotdot-substring-check
        if "/../" in name:
            return "invalid"
        # ruleid: python.pathtraver.dotdot-substring-check
        if name.find("/../") >= 0:
            return "invalid"
        # ruleid: python.pathtraver.dotdot-substring-check
        if "\\..\\" in name:
            return "invalid"
    return "ok"


def check_complete(base, name):
    # ok: python.pathtraver.dotdot-substring-check
    if "/../" in name or name.startswith("../") or os.path.isabs(name):
        return False
    # ok: python.pathtraver.dotdot-substring-check
    if ".." in name.split("/"):
        return False
    path = os.path.realpath(os.path.join(base, name))
    # ok: python.pathtraver.dotdot-substring-check
    return os.path.commonpath([base, path]) == base


def describe(path):
    # ok: python.pathtraver.dotdot-substring-check
    return path.replace("/./", "/")
