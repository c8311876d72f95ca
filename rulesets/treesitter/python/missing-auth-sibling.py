# Test cases for missing-auth-sibling.yaml (annotations as in semgrep --test).
import subprocess

from flask import Flask, request, session
from flask.views import MethodView
from flask_login import login_required

from app import db, Note

app = Flask(__name__)


@app.route("/notes", methods=["GET"])
@login_required
def list_notes():
    return {"notes": [n.text for n in Note.query.all()]}


@app.route("/notes", methods=["POST"])
# ruleid: python.authz.missing-auth-sibling
def add_note():
    db.session.add(Note(text=request.form["text"]))
    db.session.commit()
    return "", 201


@app.post("/run")
# ruleid: python.authz.missing-auth-sibling
def run():
    return subprocess.check_output(["echo", request.json["arg"]])


@app.route("/dashboard", methods=["GET", "POST"])
def dashboard():
    if not session.get("logged_in"):
        return "login first", 401
    return "ok"


@app.route("/notes/<int:note_id>", methods=["DELETE"])
@login_required
# ok: python.authz.missing-auth-sibling
def delete_note(note_id):
    Note.query.filter_by(id=note_id).delete()
    db.session.commit()
    return "", 204


@app.route("/login", methods=["POST"])
# ok: python.authz.missing-auth-sibling
def login():
    session["logged_in"] = request.form["user"] == "x"
    return "ok"


@app.route("/signUp", methods=["POST"])
# ok: python.authz.missing-auth-sibling
def signUp():
    db.session.add(Note(text=request.form["user"]))
    return "ok"


@app.route("/about", methods=["GET", "POST"])
# ok: python.authz.missing-auth-sibling
def about():
    return "a page that only renders"


@app.route("/search")
# ok: python.authz.missing-auth-sibling
def search():
    return {"q": request.args.get("q")}


class NoteAPI(MethodView):
    decorators = [login_required]

    # ok: python.authz.missing-auth-sibling
    def post(self):
        db.session.add(Note(text=request.json["text"]))
        db.session.commit()


class CommentAPI(MethodView):
    # ruleid: python.authz.missing-auth-sibling
    def delete(self, comment_id):
        Note.query.filter_by(id=comment_id).delete()
        db.session.commit()
