# Test cases for ldapi.yaml (semgrep --test annotations).
import re

import ldap
import ldap3
from fastapi import FastAPI
from flask import Flask, request
from ldap3.utils.conv import escape_filter_chars

app = Flask(__name__)
api = FastAPI()
BASE = "ou=users,dc=example,dc=com"


@app.route("/user")
def user():
    uid = request.args.get("uid")
    conn = ldap3.Connection(ldap3.Server("ldap://ldap"), auto_bind=True)
    search_filter = f"(&(objectClass=person)(uid={uid}))"
    # ruleid: python.ldapi.tainted-ldap-filter
    conn.search(BASE, search_filter, attributes=ldap3.ALL_ATTRIBUTES)
    # ruleid: python.ldapi.tainted-ldap-filter
    conn.search(search_base=BASE, search_filter="(cn=" + request.form["cn"] + ")")
    # ok: python.ldapi.tainted-ldap-filter
    conn.search(BASE, f"(&(objectClass=person)(uid={escape_filter_chars(uid)}))")
    # ok: python.ldapi.tainted-ldap-filter
    conn.search(BASE, "(objectClass=person)")
    # Not LDAP: a regex search with request data is a different issue.
    # ok: python.ldapi.tainted-ldap-filter
    re.search(uid, "some text")
    return str(conn.entries)


def django_view(request):
    con = ldap.initialize("ldap://ldap")
    name = request.GET["name"]
    # ruleid: python.ldapi.tainted-ldap-filter
    res = con.search_s(BASE, ldap.SCOPE_SUBTREE, "(cn=%s)" % name)
    # ok: python.ldapi.tainted-ldap-filter
    res2 = con.search_s(BASE, ldap.SCOPE_SUBTREE, ldap.filter.filter_format("(cn=%s)", [name]))
    return res, res2


@api.get("/group")
def group(name: str, conn=None):
    # ruleid: python.ldapi.tainted-ldap-filter
    conn.search(BASE, "(memberOf=cn=" + name + ",ou=groups)")
    # ok: python.ldapi.tainted-ldap-filter
    conn.search(BASE, "(memberOf=cn=admins,ou=groups)")


@app.route("/sliced")
def sliced():
    # A slice keeps the taint of what was assigned to the variable (semgrep drops it on its own).
    query = request.query_string.decode()
    uid = query[query.find("=") + 1 :]
    conn = ldap3.Connection(ldap3.Server("ldap://ldap"), auto_bind=True)
    # ruleid: python.ldapi.tainted-ldap-filter
    conn.search(BASE, "(uid=" + uid + ")")
    static = "(uid=admin)"
    # ok: python.ldapi.tainted-ldap-filter
    conn.search(BASE, static[:11])
    return "ok"
