# Test cases for secrets.yaml (semgrep --test annotations).
# All values below are made up for the tests.
import os

import psycopg2
from flask import Flask

app = Flask(__name__)

# ruleid: python.secrets.hardcoded-credential
DB_PASSWORD = "s3cr3t-Pa55w0rd"
# ruleid: python.secrets.hardcoded-credential
app.secret_key = "f9d8a7c6b5e4d3c2b1a0"
# ruleid: python.secrets.hardcoded-credential
app.config["SECRET_KEY"] = "kq8Hn2LmZx41pV0o"
# ok: python.secrets.hardcoded-credential
DB_PASSWORD_ENV = "DB_PASSWORD"
# ok: python.secrets.hardcoded-credential
password = os.environ["DB_PASSWORD"]
# ok: python.secrets.hardcoded-credential
api_key = os.environ.get("API_KEY", "")
# ok: python.secrets.hardcoded-credential
TOKEN_URL = "https://auth.example.com/oauth/token"
# ok: python.secrets.hardcoded-credential
password_hint = "ask the admin"
# ok: python.secrets.hardcoded-credential
secret = "changeme"
# ok: python.secrets.hardcoded-credential
token = ""

SETTINGS = {
    # ruleid: python.secrets.hardcoded-credential
    "client_secret": "b1f7e2c9a04d4e5f",
    # ok: python.secrets.hardcoded-credential
    "client_id": "reviewbot-web",
}


def connect():
    # ruleid: python.secrets.hardcoded-credential
    return psycopg2.connect(host="db", user="app", password="hunter2hunter2")


def connect_env():
    # ok: python.secrets.hardcoded-credential
    return psycopg2.connect(host="db", user="app", password=os.environ["PGPASSWORD"])


# ruleid: python.secrets.known-secret-format
AWS_KEY_ID = "AKIAZ7Q2Z7Q2Z7Q2Z7Q2"
# ruleid: python.secrets.known-secret-format
GH = "ghp_0123456789abcdefghijklmnopqrstuvwxyz"
# ruleid: python.secrets.known-secret-format
PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIB...fake...\n-----END RSA PRIVATE KEY-----"
# ok: python.secrets.known-secret-format
NOT_A_KEY = "AKIA-is-a-prefix"


# --- python.secrets.hardcoded-signing-key
import jwt
from flask import Flask

app = Flask(__name__)
# ruleid: python.secrets.hardcoded-signing-key
app.secret_key = "Harry Potter And The Deathly Hallows"
# ruleid: python.secrets.hardcoded-signing-key
app.config["SECRET_KEY"] = "dvga"
# ruleid: python.secrets.hardcoded-signing-key
app.config.update(SECRET_KEY="dev")
# ruleid: python.secrets.hardcoded-signing-key
SECRET_KEY = "keep it secret, keep it safe"
# ok: python.secrets.hardcoded-signing-key
app.secret_key = os.environ["SECRET_KEY"]
# ok: python.secrets.hardcoded-signing-key
SECRET_KEY = ""
# ok: python.secrets.hardcoded-signing-key
DISPLAY_NAME = "a b"


def login_token(user):
    # ruleid: python.secrets.hardcoded-signing-key
    return jwt.encode({"id": user.id}, "secret", algorithm="HS256")


def check_token(token):
    # ruleid: python.secrets.hardcoded-signing-key
    data = jwt.decode(token, "secret", algorithms=["HS256"])
    # ok: python.secrets.hardcoded-signing-key
    other = jwt.decode(token, os.environ["JWT_KEY"], algorithms=["HS256"])
    return data, other


# --- python.secrets.secret-in-log
import logging

logger = logging.getLogger(__name__)


def sign_in(username, password, token):
    # ruleid: python.secrets.secret-in-log
    logger.info("login %s with %s", username, password)
    # ruleid: python.secrets.secret-in-log
    logging.debug(f"token={token}")
    # ok: python.secrets.secret-in-log
    logger.info("login %s (password length %d)", username, len(password))
    # ok: python.secrets.secret-in-log
    logger.debug("has token: %s", token is not None)
    # ok: python.secrets.secret-in-log
    logger.info("token url %s", TOKEN_URL)
