# Test cases for sqli.yaml (semgrep --test annotations).
import sqlite3
from http.server import BaseHTTPRequestHandler

import pandas
import tornado.web
import sqlalchemy
from django.db.models.expressions import RawSQL
from fastapi import FastAPI
from flask import Flask, request
from psycopg2 import sql

app = Flask(__name__)
api = FastAPI()
db = sqlite3.connect("app.db")


@app.route("/user")
def user():
    name = request.args.get("name")
    cur = db.cursor()
    # ruleid: python.sqli.tainted-sql-query, python.sqli.formatted-sql-query
    cur.execute(f"SELECT * FROM users WHERE name = '{name}'")
    query = "SELECT * FROM users WHERE name = '%s'" % request.form["name"]
    # ruleid: python.sqli.tainted-sql-query, python.sqli.formatted-sql-query
    cur.execute(query)
    # ok: python.sqli.tainted-sql-query, python.sqli.formatted-sql-query
    cur.execute("SELECT * FROM users WHERE name = ?", (name,))
    stmt = f"SELECT * FROM users WHERE name = ?"
    # ok: python.sqli.tainted-sql-query, python.sqli.formatted-sql-query
    cur.execute(stmt, (name,))
    uid = int(request.args["id"])
    # Not user-controlled after int(): only the formatting rule reports it.
    # ok: python.sqli.tainted-sql-query
    # ruleid: python.sqli.formatted-sql-query
    cur.execute("DELETE FROM users WHERE id = %d" % uid)
    return "ok"


@app.route("/search")
def search():
    terms = request.headers.get("X-Terms")
    parts = ["SELECT id FROM docs WHERE body LIKE '%", terms, "%'"]
    # ruleid: python.sqli.tainted-sql-query
    rows = db.executescript("".join(parts))
    table = request.args.get("table")
    composed = sql.SQL("SELECT * FROM {}").format(sql.Identifier(table))
    # ok: python.sqli.tainted-sql-query
    db.cursor().execute(composed)
    return str(rows)


def django_view(request):
    order = request.GET.get("order")
    # ruleid: python.sqli.tainted-sql-query, python.sqli.formatted-sql-query
    people = Person.objects.raw("SELECT * FROM person ORDER BY " + order)
    # ruleid: python.sqli.tainted-sql-query
    qs = Person.objects.annotate(v=RawSQL("SELECT %s" % order, ()))
    # ok: python.sqli.tainted-sql-query
    qs2 = Person.objects.raw("SELECT * FROM person WHERE name = %s", [order])
    return people, qs, qs2


@api.get("/items")
def items(category: str, engine=None):
    with engine.connect() as conn:
        # ruleid: python.sqli.tainted-sql-query, python.sqli.formatted-sql-query
        conn.execute(sqlalchemy.text(f"SELECT * FROM items WHERE cat = '{category}'"))
        # ok: python.sqli.tainted-sql-query
        conn.execute(sqlalchemy.text("SELECT * FROM items WHERE cat = :c"), {"c": category})
        # ruleid: python.sqli.tainted-sql-query
        frame = pandas.read_sql("SELECT * FROM items WHERE cat = '" + category + "'", conn)
    return frame


def report(cursor, table_name):
    # No request data here, but the query is still built by formatting.
    # ruleid: python.sqli.formatted-sql-query
    cursor.execute("SELECT count(*) FROM {} WHERE deleted = 0".format(table_name))
    # ok: python.sqli.formatted-sql-query
    cursor.execute("SELECT count(*) FROM reports")
    # Formatting, but not SQL.
    # ok: python.sqli.formatted-sql-query
    cursor.execute("job-%s" % table_name)


@app.route("/sliced")
def sliced():
    # A slice keeps the taint of what was assigned to the variable (semgrep drops it on its own).
    name = request.args.get("name", "")
    cur = db.cursor()
    # ruleid: python.sqli.tainted-sql-query, python.sqli.formatted-sql-query
    cur.execute("SELECT * FROM users WHERE name = '" + name[:32] + "'")
    table = "users_archive"
    # ok: python.sqli.tainted-sql-query
    # ruleid: python.sqli.formatted-sql-query
    cur.execute("SELECT * FROM " + table[:5])
    return "ok"


class SearchHandler(tornado.web.RequestHandler):
    def get(self):
        name = self.get_argument("name")
        # ruleid: python.sqli.tainted-sql-query, python.sqli.formatted-sql-query
        self.db.execute("SELECT * FROM users WHERE name = '" + name + "'")
        # ok: python.sqli.tainted-sql-query
        self.db.execute("SELECT * FROM users WHERE name = ?", (name,))


class LookupHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        # ruleid: python.sqli.tainted-sql-query, python.sqli.formatted-sql-query
        self.db.execute("SELECT * FROM users WHERE id = " + body)


# GraphQL (graphene): a resolver's parameters after `info` are the query's arguments.
class PasteQuery:
    def resolve_pastes(self, info, public=False, filter=None):
        # ruleid: python.sqli.tainted-sql-query, python.sqli.formatted-sql-query
        self.db.execute("SELECT * FROM pastes WHERE title = '%s'" % filter)
        # ok: python.sqli.tainted-sql-query
        self.db.execute("SELECT * FROM pastes WHERE title = ?", (filter,))


def not_a_resolver(self, info, name):
    # ok: python.sqli.tainted-sql-query
    # ruleid: python.sqli.formatted-sql-query
    self.db.execute("SELECT * FROM t WHERE name = '%s'" % name)
