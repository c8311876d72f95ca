# Test cases for weakrand.yaml (semgrep --test annotations).
import random
import secrets
import string

from flask import Flask, make_response, session

app = Flask(__name__)
mysession = {}


@app.route("/remember")
def remember():
    # ruleid: python.weakrand.insecure-random-module
    value = str(random.SystemRandom().randint(0, 2**32))
    # ruleid: python.weakrand.insecure-random-for-secret
    session["remember_me"] = value
    resp = make_response("ok")
    # ruleid: python.weakrand.insecure-random-for-secret, python.weakrand.insecure-random-module
    resp.set_cookie("sid", str(random.SystemRandom().getrandbits(64)), secure=True, httponly=True, samesite="Lax")
    return resp


def remember_me(name):
    # ruleid: python.weakrand.insecure-random-module
    cookie_value = str(random.SystemRandom().random())[2:]
    # ruleid: python.weakrand.insecure-random-for-secret
    mysession[name] = cookie_value
    # ok: python.weakrand.insecure-random-for-secret
    mysession["token"] = secrets.token_urlsafe(32)
    # ok: python.weakrand.insecure-random-for-secret
    mysession["other"] = str(random.SystemRandom().randint(0, 2**32))


def make_reset_token():
    # ruleid: python.weakrand.insecure-random-for-secret, python.weakrand.insecure-random-module
    reset_token = "".join(random.SystemRandom().choice(string.ascii_letters) for _ in range(32))
    # ruleid: python.weakrand.insecure-random-for-secret
    return reset_token


def generate_password(length=12):
    rng = random.Random()
    # ruleid: python.weakrand.insecure-random-for-secret
    return "".join(rng.sample(string.ascii_letters, length))


def generate_api_key():
    # ok: python.weakrand.insecure-random-for-secret
    return secrets.token_hex(32)


def shuffle_quiz(questions):
    # Not a secret: only the low-confidence audit rule mentions it.
    # ruleid: python.weakrand.insecure-random-module
    random.SystemRandom().shuffle(questions)
    # ruleid: python.weakrand.insecure-random-module
    delay = random.SystemRandom().uniform(0.5, 1.5)
    # ok: python.weakrand.insecure-random-module
    sr = random.SystemRandom().random()
    # ok: python.weakrand.insecure-random-module
    n = secrets.randbelow(10)
    return questions, delay, sr, n
