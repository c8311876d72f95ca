# Test cases for upload.yaml (annotations as in semgrep --test).
import os
import uuid

from django.core.files.storage import default_storage
from flask import request
from werkzeug.utils import secure_filename

UPLOADS = "/srv/uploads"
ALLOWED_EXTENSIONS = {"png", "jpg"}


def upload_avatar():
    f = request.files["avatar"]
    # ruleid: python.pathtraver.upload-saved-under-client-filename
    f.save(os.path.join(UPLOADS, f.filename))
    return "ok"


def upload_cleaned():
    f = request.files["doc"]
    name = secure_filename(f.filename)
    # ruleid: python.pathtraver.upload-saved-under-client-filename
    f.save(os.path.join(UPLOADS, name))
    return "ok"


def upload_django(request):
    up = request.FILES["attachment"]
    # todoruleid: python.pathtraver.upload-saved-under-client-filename
    path = default_storage.save("attachments/" + up.name, up)
    return path


async def upload_fastapi(file):
    # ruleid: python.pathtraver.upload-saved-under-client-filename
    with open(f"{UPLOADS}/{file.filename}", "wb") as out:
        out.write(await file.read())


def allowed_file(name):
    return "." in name and name.rsplit(".", 1)[1].lower() in ALLOWED_EXTENSIONS


def upload_checked():
    f = request.files["avatar"]
    if not allowed_file(f.filename):
        return "bad type", 400
    # ok: python.pathtraver.upload-saved-under-client-filename
    f.save(os.path.join(UPLOADS, secure_filename(f.filename)))
    return "ok"


def upload_generated_name():
    f = request.files["avatar"]
    # ok: python.pathtraver.upload-saved-under-client-filename
    f.save(os.path.join(UPLOADS, uuid.uuid4().hex + ".png"))
    return "ok"


def read_back(f):
    # ok: python.pathtraver.upload-saved-under-client-filename
    with open(os.path.join(UPLOADS, f.filename), "rb") as fh:
        return fh.read()
