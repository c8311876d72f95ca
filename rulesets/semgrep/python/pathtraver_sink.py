# Test cases for pathtraver_sink.yaml (semgrep --test annotations).
import os

from django.core.files.storage import default_storage
from flask import send_file
from werkzeug.utils import secure_filename

BASE = "/srv/files"


def read(name):
    # ruleid: python.pathtraver.path-joined-from-parameter
    with open(os.path.join(BASE, name)) as f:
        return f.read()


def read_concat(name):
    path = BASE + "/" + name
    # ruleid: python.pathtraver.path-joined-from-parameter
    return open(path).read()


def serve(filename):
    # ruleid: python.pathtraver.path-joined-from-parameter
    return send_file(f"uploads/{filename}")


def save(upload):
    # ruleid: python.pathtraver.path-joined-from-parameter
    open(os.path.join(BASE, upload.filename), "wb").write(upload.read())


def store(uploaded_file, content):
    full_name = os.path.join(BASE, "data", uploaded_file.name)
    # ruleid: python.pathtraver.path-joined-from-parameter
    default_storage.save(full_name, content)


def read_path(path):
    # A bare path parameter is the ordinary contract of a file API.
    # ok: python.pathtraver.path-joined-from-parameter
    return open(path).read()


def read_base(name):
    name = os.path.basename(name)
    # ok: python.pathtraver.path-joined-from-parameter
    return open(os.path.join(BASE, name)).read()


def read_secure(name):
    name = secure_filename(name)
    # ok: python.pathtraver.path-joined-from-parameter
    return open(os.path.join(BASE, name)).read()


def read_checked(name):
    path = os.path.realpath(os.path.join(BASE, name))
    if not path.startswith(BASE + os.sep):
        raise ValueError(name)
    # ok: python.pathtraver.path-joined-from-parameter
    return open(path).read()


def data():
    # ok: python.pathtraver.path-joined-from-parameter
    return open(os.path.join(os.path.dirname(__file__), "data.txt")).read()


def write_into(directory):
    # the caller chooses the directory; the name under it is fixed
    # ok: python.pathtraver.path-joined-from-parameter
    return open(os.path.join(directory, "out.txt"), "w")
