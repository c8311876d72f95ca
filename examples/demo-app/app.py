"""A tiny Flask service: the sample reviewbot's README demo reviews a change to."""

import hashlib
import sqlite3
import subprocess

from flask import Flask, request

app = Flask(__name__)


def checksum(data: bytes) -> str:
    # Already on the main branch: reviewbot reports it only with --all, not as part of a change.
    return hashlib.md5(data).hexdigest()


@app.route("/user")
def user():
    conn = sqlite3.connect("app.db")
    name = request.args.get("name", "")
    rows = conn.execute("SELECT id, name FROM users WHERE name = ?", (name,)).fetchall()
    return {"users": rows}


@app.route("/ping")
def ping():
    host = "localhost"
    return subprocess.run(["ping", "-c", "1", host], capture_output=True, text=True).stdout
