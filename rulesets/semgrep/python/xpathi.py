# Test cases for xpathi.yaml (semgrep --test annotations).
import xml.etree.ElementTree as ET

import elementpath
import lxml.etree
from fastapi import FastAPI
from flask import Flask, request

app = Flask(__name__)
api = FastAPI()
TREE = lxml.etree.parse("employees.xml")


@app.route("/employee")
def employee():
    emp_id = request.args.get("id")
    query = f"/Employees/Employee[@emplid='{emp_id}']"
    # ruleid: python.xpathi.tainted-xpath-query
    nodes = TREE.xpath(query)
    # ok: python.xpathi.tainted-xpath-query
    nodes2 = TREE.xpath("/Employees/Employee[@emplid=$id]", id=emp_id)
    # ruleid: python.xpathi.tainted-xpath-query
    finder = lxml.etree.XPath("//user[name='" + request.form["name"] + "']")
    # ok: python.xpathi.tainted-xpath-query
    finder2 = lxml.etree.XPath("//user[name=$n]")
    return str((nodes, nodes2, finder(TREE), finder2(TREE, n=emp_id)))


@app.route("/employee-checked")
def employee_checked():
    emp_id = request.args.get("id")
    if "'" in emp_id:
        return "Employee ID must not contain apostrophes"
    # ok: python.xpathi.tainted-xpath-query
    return str(TREE.xpath(f"/Employees/Employee[@emplid='{emp_id}']"))


@app.route("/by-number")
def by_number():
    n = int(request.args.get("n"))
    # ok: python.xpathi.tainted-xpath-query
    return str(TREE.xpath(f"/Employees/Employee[{n}]"))


@app.route("/elementpath")
def with_elementpath():
    root = ET.parse("employees.xml")
    name = request.cookies.get("name")
    # ruleid: python.xpathi.tainted-xpath-query
    found = elementpath.select(root, "".join(["//Employee[@name='", name, "']"]))
    # ruleid: python.xpathi.tainted-xpath-query
    found2 = root.findall(".//Employee[@name='%s']" % name)
    # ok: python.xpathi.tainted-xpath-query
    found3 = root.findall(".//Employee")
    return str((found, found2, found3))


@api.get("/dept")
def dept(name: str):
    # ruleid: python.xpathi.tainted-xpath-query
    return TREE.xpath("//dept[@name='" + name + "']")


def not_request(name):
    # ok: python.xpathi.tainted-xpath-query
    return TREE.xpath("//dept[@name='" + name + "']")


@app.route("/employee-sliced")
def employee_sliced():
    # A slice keeps the taint of what was assigned to the variable (semgrep drops it on its own).
    query = request.query_string.decode()
    emp_id = query[query.find("=") + 1 :]
    # ruleid: python.xpathi.tainted-xpath-query
    return str(TREE.xpath(f"/Employees/Employee[@emplid='{emp_id}']"))


@app.route("/employee-checked-sliced")
def employee_checked_sliced():
    # A check on the value covers its slices too.
    emp_id = request.args.get("id")
    if "'" in emp_id:
        return "Employee ID must not contain apostrophes"
    # ok: python.xpathi.tainted-xpath-query
    return str(TREE.xpath(f"/Employees/Employee[@emplid='{emp_id[:16]}']"))
