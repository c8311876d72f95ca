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


# --- python.authn.password-check-skipped-for-unknown-user ---
import bcrypt


def user_login(username, password):
    if User.username_exists(username):
        user = User.get_by_username(username)
        if user.is_blocked():
            return None
        # ruleid: python.authn.password-check-skipped-for-unknown-user
        elif user.check_password(password):
            return user
    return None


def flask_login(name, password):
    user = User.query.filter_by(name=name).first()
    # ruleid: python.authn.password-check-skipped-for-unknown-user
    if user and check_password_hash(user.pw_hash, password):
        return user
    return None


def bcrypt_login(name, password):
    account = Account.find(name)
    # ruleid: python.authn.password-check-skipped-for-unknown-user
    if account is None or not bcrypt.checkpw(password.encode(), account.hash):
        return None
    return account


DUMMY_HASH = generate_password_hash("dummy")


def constant_time_login(username, password):
    exists = User.username_exists(username)
    user = User.get_by_username(username) if exists else None
    # ok: python.authn.password-check-skipped-for-unknown-user
    ok = check_password_hash(user.pw_hash if user else DUMMY_HASH, password)
    return user if ok and exists else None


def django_style(username, password):
    try:
        user = User.objects.get(username=username)
    except User.DoesNotExist:
        User().set_password(password)
    else:
        # ok: python.authn.password-check-skipped-for-unknown-user
        if user.check_password(password):
            return user
    return None


# --- python.authn.jwt-signature-not-verified ---
import base64
import json

import jwt


def claims_v1(token, key):
    # ruleid: python.authn.jwt-signature-not-verified
    return jwt.decode(token, key, verify=False)


def claims_v2(token):
    # ruleid: python.authn.jwt-signature-not-verified
    return jwt.decode(token, options={"verify_signature": False})


def claims_none(token, key):
    # ruleid: python.authn.jwt-signature-not-verified
    return jwt.decode(token, key, algorithms=["HS256", "none"])


def claims_by_hand(token):
    # ruleid: python.authn.jwt-signature-not-verified
    return json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))


def process_jwt(token):
    header, claims, _ = token.split(".")
    # ruleid: python.authn.jwt-signature-not-verified
    return json.loads(base64url_decode(claims))


def claims_verified(token, key):
    # ok: python.authn.jwt-signature-not-verified
    return jwt.decode(token, key, algorithms=["RS256"])


def pick_key(token):
    # ok: python.authn.jwt-signature-not-verified
    return jwt.get_unverified_header(token)["kid"]


# --- python.authn.timing-unsafe-secret-comparison ---
import hmac


def check_webhook(body, header_signature, key):
    expected_signature = hmac.new(key, body, "sha256").hexdigest()
    # ruleid: python.authn.timing-unsafe-secret-comparison
    if header_signature != expected_signature:
        return False
    return True


def check_api_key(request, settings):
    # ruleid: python.authn.timing-unsafe-secret-comparison
    return request.headers.get("X-Api-Key") == settings.api_key


def check_inline(key, body, given):
    # ruleid: python.authn.timing-unsafe-secret-comparison
    return hmac.new(key, body, "sha256").hexdigest() == given


def check_safely(header_signature, expected_signature):
    # ok: python.authn.timing-unsafe-secret-comparison
    return hmac.compare_digest(header_signature, expected_signature)


def has_key(settings):
    # ok: python.authn.timing-unsafe-secret-comparison
    return settings.api_key != ""


def missing(api_key):
    # ok: python.authn.timing-unsafe-secret-comparison
    return api_key == None


def user_by_token(session, auth_token):
    # the comparison builds SQL: the database does the lookup
    # ok: python.authn.timing-unsafe-secret-comparison
    return session.query(RemoteAuthToken).filter(RemoteAuthToken.auth_token == auth_token).first()
