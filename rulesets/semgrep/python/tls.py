# Test cases for tls.yaml (semgrep --test annotations).
import ssl

import aiohttp
import httpx
import requests
import urllib3


def fetch(url):
    # ruleid: python.tls.requests-verify-disabled
    r = requests.get(url, verify=False, timeout=5)
    # ruleid: python.tls.requests-verify-disabled
    r2 = httpx.post(url, json={}, verify=False)
    # ok: python.tls.requests-verify-disabled
    r3 = requests.get(url, timeout=5)
    # ok: python.tls.requests-verify-disabled
    r4 = requests.get(url, verify="/etc/ssl/private-ca.pem")
    s = requests.Session()
    # ruleid: python.tls.requests-verify-disabled
    s.verify = False
    # ruleid: python.tls.requests-verify-disabled
    r5 = s.get(url, verify=False)
    # ok: python.tls.requests-verify-disabled
    r6 = s.get(url)
    return r, r2, r3, r4, r5, r6


def contexts():
    # ruleid: python.tls.unverified-ssl-context
    ctx = ssl._create_unverified_context()
    ctx2 = ssl.create_default_context()
    # ruleid: python.tls.unverified-ssl-context
    ctx2.check_hostname = False
    # ruleid: python.tls.unverified-ssl-context
    ctx2.verify_mode = ssl.CERT_NONE
    # ok: python.tls.unverified-ssl-context
    ctx3 = ssl.create_default_context(cafile="/etc/ssl/ca.pem")
    # ok: python.tls.unverified-ssl-context
    ctx3.verify_mode = ssl.CERT_REQUIRED
    # ruleid: python.tls.unverified-ssl-context
    pool = urllib3.PoolManager(cert_reqs="CERT_NONE")
    # ok: python.tls.unverified-ssl-context
    pool2 = urllib3.PoolManager(cert_reqs="CERT_REQUIRED")
    # ruleid: python.tls.unverified-ssl-context
    conn = aiohttp.TCPConnector(ssl=False)
    # ruleid: python.tls.requests-verify-disabled
    client = httpx.Client(verify=False)
    return ctx, ctx2, ctx3, pool, pool2, conn, client


def protocols():
    # ruleid: python.tls.insecure-protocol-version
    old = ssl.SSLContext(ssl.PROTOCOL_TLSv1)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    # ruleid: python.tls.insecure-protocol-version
    ctx.minimum_version = ssl.TLSVersion.TLSv1_1
    # ok: python.tls.insecure-protocol-version
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    # ok: python.tls.insecure-protocol-version
    ctx2 = ssl.create_default_context()
    return old, ctx, ctx2


# --- python.tls.stdlib-client-without-verified-context
import ftplib
import imaplib
import smtplib


def send(host, user, password, message):
    with smtplib.SMTP(host, 587) as server:
        # ruleid: python.tls.stdlib-client-without-verified-context
        server.starttls()
        server.login(user, password)
        server.send_message(message)
    # ruleid: python.tls.stdlib-client-without-verified-context
    direct = smtplib.SMTP_SSL(host)
    # ruleid: python.tls.stdlib-client-without-verified-context
    ftp = ftplib.FTP_TLS(host, user, password)
    mail = imaplib.IMAP4(host)
    # ruleid: python.tls.stdlib-client-without-verified-context
    mail.starttls()
    return direct, ftp, mail


def send_verified(host, message):
    context = ssl.create_default_context()
    with smtplib.SMTP(host, 587) as server:
        # ok: python.tls.stdlib-client-without-verified-context
        server.starttls(context=context)
    # ok: python.tls.stdlib-client-without-verified-context
    direct = smtplib.SMTP_SSL(host, context=context)
    mail = imaplib.IMAP4(host)
    # ok: python.tls.stdlib-client-without-verified-context
    mail.starttls(ssl_context=context)
    # ok: python.tls.stdlib-client-without-verified-context
    mail2 = imaplib.IMAP4_SSL(host, ssl_context=context)
    return direct, mail, mail2
