# Test cases for deserialization.yaml (semgrep --test annotations).
import base64
import json
import pickle

import jsonpickle
import yaml
from fastapi import FastAPI
from flask import Flask, request

app = Flask(__name__)
api = FastAPI()


@app.route("/restore", methods=["POST"])
def restore():
    blob = base64.b64decode(request.cookies.get("state"))
    # ruleid: python.deserialization.tainted-deserialization, python.deserialization.pickle-load
    state = pickle.loads(blob)
    # ruleid: python.deserialization.tainted-deserialization, python.deserialization.pickle-load
    obj = jsonpickle.decode(request.get_data(as_text=True))
    # ok: python.deserialization.tainted-deserialization, python.deserialization.pickle-load
    data = json.loads(request.get_data())
    return str((state, obj, data))


@app.route("/config", methods=["POST"])
def config():
    text = request.form["config"]
    # ruleid: python.deserialization.tainted-deserialization, python.deserialization.yaml-unsafe-load
    cfg = yaml.safe_load(text)
    # ruleid: python.deserialization.tainted-deserialization, python.deserialization.yaml-unsafe-load
    cfg2 = yaml.safe_load(text)
    # ok: python.deserialization.tainted-deserialization, python.deserialization.yaml-unsafe-load
    cfg3 = yaml.safe_load(text)
    # ok: python.deserialization.tainted-deserialization, python.deserialization.yaml-unsafe-load
    cfg4 = yaml.load(text, Loader=yaml.SafeLoader)
    return str((cfg, cfg2, cfg3, cfg4))


def django_view(request):
    # ruleid: python.deserialization.tainted-deserialization, python.deserialization.pickle-load
    return pickle.loads(request.body)


@api.post("/upload")
async def upload(payload: str):
    # ruleid: python.deserialization.tainted-deserialization, python.deserialization.pickle-load
    return pickle.loads(base64.b64decode(payload))


def load_cache(path):
    with open(path, "rb") as fh:
        # Not request data: only the low-confidence audit rule reports it.
        # ruleid: python.deserialization.pickle-load
        return pickle.load(fh)


def load_settings(path):
    with open(path) as fh:
        # ruleid: python.deserialization.yaml-unsafe-load
        return yaml.safe_load(fh)


def dump_cache(obj, path):
    with open(path, "wb") as fh:
        # ok: python.deserialization.pickle-load
        pickle.dump(obj, fh)


@app.route("/sliced", methods=["POST"])
def sliced():
    # A slice keeps the taint of what was assigned to the variable (semgrep drops it on its own).
    raw = request.get_data()
    # ruleid: python.deserialization.tainted-deserialization, python.deserialization.pickle-load
    obj = pickle.loads(raw[4:])
    header = b"\x80\x04K\x01."
    # ok: python.deserialization.tainted-deserialization
    # ruleid: python.deserialization.pickle-load
    pickle.loads(header[:5])
    return str(obj)
