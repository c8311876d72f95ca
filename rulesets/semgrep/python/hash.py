# Test cases for hash.yaml (semgrep --test annotations).
import hashlib

from cryptography.hazmat.primitives import hashes
from Crypto.Hash import MD5, SHA256


def fingerprint(data: bytes) -> str:
    # ruleid: python.hash.weak-hash-hashlib
    return hashlib.md5(data).hexdigest()


def sign_like(data: bytes) -> bytes:
    # ruleid: python.hash.weak-hash-hashlib
    h = hashlib.sha1()
    h.update(data)
    return h.digest()


def by_name(data: bytes) -> bytes:
    # ruleid: python.hash.weak-hash-hashlib
    h = hashlib.new("md5")
    h.update(data)
    # ruleid: python.hash.weak-hash-hashlib
    h2 = hashlib.new('SHA1', data)
    return h.digest() + h2.digest()


def safe_hashes(data: bytes) -> bytes:
    # ok: python.hash.weak-hash-hashlib
    a = hashlib.sha256(data).digest()
    # ok: python.hash.weak-hash-hashlib
    b = hashlib.new("sha384", data).digest()
    # Declared non-security use (cache key)
    # ok: python.hash.weak-hash-hashlib
    c = hashlib.md5(data, usedforsecurity=False).digest()
    # ok: python.hash.weak-hash-hashlib
    d = hashlib.sha512(data).digest()
    return a + b + c + d


def crypto_libs(data: bytes):
    # ruleid: python.hash.weak-hash-crypto-library
    digest = hashes.Hash(hashes.MD5())
    # ruleid: python.hash.weak-hash-crypto-library
    h = MD5.new(data)
    # ok: python.hash.weak-hash-crypto-library
    h2 = SHA256.new(data)
    # ok: python.hash.weak-hash-crypto-library
    digest2 = hashes.Hash(hashes.SHA256())
    return digest, h, h2, digest2


def store_password(user, password: str):
    # ruleid: python.hash.fast-hash-for-password
    user.pw_hash = hashlib.sha256(password.encode()).hexdigest()
    h = hashlib.sha512()
    # ruleid: python.hash.fast-hash-for-password
    h.update(user.salt + password.encode())
    # ok: python.hash.fast-hash-for-password
    user.pw_hash2 = hashlib.pbkdf2_hmac("sha256", password.encode(), user.salt, 600_000)
    # ok: python.hash.fast-hash-for-password
    user.etag = hashlib.sha256(user.profile_json.encode()).hexdigest()
    return h


def store_password_weakly(user, password: str, data: bytes):
    # A password under MD5/SHA-1 is reported as a fast password hash, with no SHA-256 "fix".
    # ruleid: python.hash.fast-hash-for-password
    user.pw_md5 = hashlib.md5(password.encode()).hexdigest()
    # ruleid: python.hash.fast-hash-for-password
    user.pw_new = hashlib.new("md5", user.password).digest()
    # ruleid: python.hash.fast-hash-for-password
    user.pw_sha256 = hashlib.new("sha256", password.encode()).digest()
    h = hashlib.md5()
    # ruleid: python.hash.fast-hash-for-password
    h.update(password.encode())
    g = hashlib.new("sha1")
    # ruleid: python.hash.fast-hash-for-password
    g.update(user.passwd)
    # A string that merely names a password is data: the weak hash is reported, with its fix.
    # ruleid: python.hash.weak-hash-hashlib
    k = hashlib.sha1(b"password-reset" + data).digest()
    return h, g, k


# --- python.hash.weak-cipher / python.hash.ecb-mode
from Crypto.Cipher import AES, ARC4, DES, DES3
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def legacy_encrypt(key, data):
    # ruleid: python.hash.weak-cipher
    des = DES.new(key, DES.MODE_CBC, iv=b"\0" * 8)
    # ruleid: python.hash.weak-cipher
    rc4 = ARC4.new(key)
    # ruleid: python.hash.weak-cipher
    triple = DES3.new(key, DES3.MODE_EAX)
    # ruleid: python.hash.weak-cipher
    c = Cipher(algorithms.TripleDES(key), modes.CBC(b"\0" * 8))
    return des, rc4, triple, c


def ecb(key, data):
    # ruleid: python.hash.ecb-mode
    aes = AES.new(key, AES.MODE_ECB)
    # ruleid: python.hash.ecb-mode
    c = Cipher(algorithms.AES(key), modes.ECB())
    # ok: python.hash.ecb-mode, python.hash.weak-cipher
    good = AES.new(key, AES.MODE_GCM)
    # ok: python.hash.ecb-mode, python.hash.weak-cipher
    good2 = Cipher(algorithms.AES(key), modes.GCM(b"\0" * 12))
    return aes, c, good, good2
