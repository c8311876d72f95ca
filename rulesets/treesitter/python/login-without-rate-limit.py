# Test cases for login-without-rate-limit.yaml (annotations as in semgrep --test).
import tornado.web
from flask import Flask, request, session
from werkzeug.security import check_password_hash

from app import User

app = Flask(__name__)


@app.route("/login", methods=["POST"])
# ruleid: python.authn.login-without-rate-limit
def login():
    user = User.query.filter_by(name=request.form["name"]).first()
    if user and check_password_hash(user.pw_hash, request.form["password"]):
        session["user_id"] = user.id
        return "ok"
    return "no", 401


@app.route("/legacy-login", methods=["POST"])
# ruleid: python.authn.login-without-rate-limit
def legacy_login():
    name, password = request.form["name"], request.form["password"]
    user = User.query.filter_by(name=name, password=password).first()
    return "ok" if user else ("no", 401)


@app.route("/register", methods=["POST"])
# ok: python.authn.login-without-rate-limit
def register():
    User.create(request.form["name"], request.form["password"])
    return "ok"


class UsersHandler(tornado.web.RequestHandler):
    # ruleid: python.authn.login-without-rate-limit
    def post(self):
        name, pwd = self.get_argument("username"), self.get_argument("password")
        row = self.db.execute(
            "SELECT * FROM users WHERE name = ? AND "
            "password = ?", (name, pwd)
        ).fetchone()
        self.write("ok" if row else "no")
