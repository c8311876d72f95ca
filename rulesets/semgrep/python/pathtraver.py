# Test cases for pathtraver.yaml (semgrep --test annotations).
import codecs
import io
import os
import pathlib
import shutil
import tarfile

import tornado.web

from fastapi import FastAPI
from fastapi.responses import FileResponse
from flask import Flask, abort, request, send_file
from werkzeug.utils import secure_filename

app = Flask(__name__)
api = FastAPI()
BASE = "/srv/files"


@app.route("/read")
def read():
    name = request.args.get("name")
    # ruleid: python.pathtraver.tainted-file-path
    with open(os.path.join(BASE, name)) as fh:
        data = fh.read()
    # ruleid: python.pathtraver.tainted-file-path
    fh2 = codecs.open(f"{BASE}/{request.cookies.get('doc')}", "r", "utf-8")
    # ok: python.pathtraver.tainted-file-path
    with open(os.path.join(BASE, os.path.basename(name))) as fh:
        data += fh.read()
    # ok: python.pathtraver.tainted-file-path
    with open(os.path.join(BASE, secure_filename(name))) as fh:
        data += fh.read()
    # ok: python.pathtraver.tainted-file-path
    with open(os.path.join(BASE, "index.txt")) as fh:
        data += fh.read()
    return data + fh2.read()


@app.route("/delete", methods=["POST"])
def delete():
    target = request.form["path"]
    # ruleid: python.pathtraver.tainted-file-path
    os.remove(target)
    # ruleid: python.pathtraver.tainted-file-path
    shutil.rmtree(os.path.join(BASE, request.headers["X-Dir"]))
    # ruleid: python.pathtraver.tainted-file-path
    exists = os.path.exists(BASE + "/" + target)
    return str(exists)


@app.route("/guarded")
def guarded():
    name = request.args.get("name")
    if ".." in name:
        abort(400)
    # ok: python.pathtraver.tainted-file-path
    return send_file(os.path.join(BASE, name))


@app.route("/guarded2")
def guarded2():
    name = request.values.get("name")
    if "../" in name or name.startswith("/"):
        return "bad name"
    # ok: python.pathtraver.tainted-file-path
    return open(f"{BASE}/{name}").read()


@app.route("/download/<path:filename>")
def download(filename):
    # ruleid: python.pathtraver.tainted-file-path
    return send_file(os.path.join(BASE, filename))


@app.route("/pathlib")
def with_pathlib():
    base = pathlib.Path(BASE)
    p = (base / request.args["file"]).resolve()
    # ruleid: python.pathtraver.tainted-file-path
    text = p.read_text()
    q = (base / request.args["other"]).resolve()
    if not str(q).startswith(str(base)):
        return "Invalid path"
    # ok: python.pathtraver.tainted-file-path
    return text + q.read_text()


def django_view(request):
    # ruleid: python.pathtraver.tainted-file-path
    return open("/var/reports/" + request.GET["report"], "rb").read()


@api.get("/files/{name}")
def get_file(name: str):
    # ruleid: python.pathtraver.tainted-file-path
    return FileResponse(f"{BASE}/{name}")


@api.get("/files-safe/{name}")
def get_file_safe(name: str):
    # ok: python.pathtraver.tainted-file-path
    return FileResponse(os.path.join(BASE, os.path.basename(name)))


def unpack(archive_path, dest):
    with tarfile.open(archive_path) as tar:
        # ruleid: python.pathtraver.tarfile-extractall-without-filter
        tar.extractall(dest)
    tar2 = tarfile.open(archive_path, "r:gz")
    # ruleid: python.pathtraver.tarfile-extractall-without-filter
    tar2.extractall()
    with tarfile.open(archive_path) as tar3:
        # ok: python.pathtraver.tarfile-extractall-without-filter
        tar3.extractall(dest, filter="data")
    # ok: python.pathtraver.tarfile-extractall-without-filter
    shutil.unpack_archive(archive_path, dest)


from unittest.mock import patch


@patch("app.storage.remove_file")
def test_cleanup(mocked_remove, tmp_dir):
    # `patch` resolves to unittest.mock.patch: a test decorator, not an HTTP PATCH route,
    # so the test's parameters are not request data.
    # ok: python.pathtraver.tainted-file-path
    open(tmp_dir + "/out.txt").read()


@app.route("/sliced", methods=["POST"])
def sliced():
    # A slice keeps the taint of what was assigned to the variable (semgrep drops it on its own).
    query = request.query_string.decode()
    name = query[query.find("=") + 1 :]
    # ruleid: python.pathtraver.tainted-file-path
    fh = open(f"{BASE}/{name}", "rb")
    padded = "help"
    padded += request.form["file"]
    padded += "snapes on a plane"
    # ruleid: python.pathtraver.tainted-file-path
    os.remove(os.path.join(BASE, padded[4:-17]))
    # A sink whose result is sliced: the slice is checked instead.
    doc = pathlib.Path(BASE) / request.args["doc"]
    # ruleid: python.pathtraver.tainted-file-path
    head = doc.read_text()[:1000]
    index = pathlib.Path(BASE) / "index.txt"
    # ok: python.pathtraver.tainted-file-path
    head += index.read_text()[:1000]
    safe = pathlib.Path(BASE) / secure_filename(request.args["doc"])
    # ok: python.pathtraver.tainted-file-path
    head += safe.read_text()[:1000]
    return head + fh.read().decode()


@app.route("/sliced-checked")
def sliced_checked():
    # A check on the variable covers its slices too.
    base = pathlib.Path(BASE)
    doc = (base / request.args["doc"]).resolve()
    if not str(doc).startswith(str(base)):
        abort(400)
    # ok: python.pathtraver.tainted-file-path
    head = doc.read_text()[:1000]
    name = request.args["name"]
    if ".." in name:
        return "bad name"
    # ok: python.pathtraver.tainted-file-path
    fh = open(os.path.join(BASE, name[:64]))
    other = request.args["other"]
    # ruleid: python.pathtraver.tainted-file-path
    fh2 = open(os.path.join(BASE, other[:64]))
    return head + fh.read() + fh2.read()


class ContentHandler(tornado.web.RequestHandler):
    def get(self):
        file_name = self.get_argument("file", default="car")
        # ruleid: python.pathtraver.tainted-file-path
        with io.open("read/" + file_name, "rb") as fh:
            self.write(fh.read())
        # ok: python.pathtraver.tainted-file-path
        with io.open("read/" + os.path.basename(file_name), "rb") as fh:
            self.write(fh.read())
