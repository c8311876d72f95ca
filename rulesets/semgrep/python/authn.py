# Test cases for authn.yaml (annotations as in semgrep --test).
from flask import request
from werkzeug.security import check_password_hash, generate_password_hash

from app import db


class User(db.Model):
    def __init__(self, name, password):
        self.name = name
        # ruleid: python.authn.plaintext-password-stored
        self.password = password

    def set_password(self, password):
        # ok: python.authn.plaintext-password-stored
        self.password = generate_password_hash(password)


class SmtpClient:
    def __init__(self, password):
        # ok: python.authn.plaintext-password-stored
        self.password = password


def login(user, password):
    # ruleid: python.authn.plaintext-password-comparison
    if user.password == password:
        return True
    # ok: python.authn.plaintext-password-comparison
    if check_password_hash(user.password, password):
        return True
    # ok: python.authn.plaintext-password-comparison
    if user.password == "":
        return False
    # ok: python.authn.plaintext-password-comparison
    return user.password == hash_password(password)


def find(name, passw):
    # ruleid: python.authn.plaintext-password-comparison
    return User.query.filter_by(username=name, password=passw).first()


def find_hashed(name, passw):
    # ok: python.authn.plaintext-password-comparison
    return User.query.filter_by(username=name, password=hash_password(passw)).first()


def register():
    # ruleid: python.authn.plaintext-password-stored
    db.session.add(User(username=request.form["username"], password=request.form["password"]))
    # ok: python.authn.plaintext-password-stored
    db.session.add(User(username=request.form["username"], password=generate_password_hash(request.form["password"])))


def change(user_id, new_password):
    # ruleid: python.authn.plaintext-password-stored
    User.query.filter_by(id=user_id).update({"password": new_password})
    # ok: python.authn.plaintext-password-stored
    User.query.filter_by(id=user_id).update({"password": generate_password_hash(new_password)})


def hash_password(p):
    return generate_password_hash(p)


def connect(password):
    # ok: python.authn.plaintext-password-stored
    return Redis(host="cache", password=password)
