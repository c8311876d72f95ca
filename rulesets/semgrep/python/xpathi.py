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


@app.route("/employee-replaced")
def employee_replaced():
    emp_id = request.args.get("id")
    # Every `'` replaced, inside a '...' literal: the value cannot end the literal.
    # ok: python.xpathi.tainted-xpath-query
    nodes = TREE.xpath(f"""/Employees/Employee[@emplid='{emp_id.replace("'", "&apos;")}']""")
    # ok: python.xpathi.tainted-xpath-query
    nodes2 = TREE.xpath("/Employees/Employee[@emplid='" + emp_id.replace("'", "") + "']")
    # ok: python.xpathi.tainted-xpath-query
    nodes3 = TREE.xpath(f"""//Employee[@emplid='{emp_id.replace("'", "&apos;")}' and @active='1']""")
    # Inside a "..." literal `"` ends it, and it is still there.
    # ruleid: python.xpathi.tainted-xpath-query
    bad = TREE.xpath(f"""/Employees/Employee[@emplid="{emp_id.replace("'", "&apos;")}"]""")
    # The value follows a closed literal: it is XPath syntax, not text.
    # ruleid: python.xpathi.tainted-xpath-query
    bad2 = TREE.xpath(f"""//Employee[@emplid='x' or {emp_id.replace("'", "")}='x']""")
    # A backslash is not an escape in XPath: `\'` still ends the literal.
    # ruleid: python.xpathi.tainted-xpath-query
    bad3 = TREE.xpath("/Employees/Employee[@emplid='" + emp_id.replace("'", "\\'") + "']")
    # Only the first `'` is replaced.
    # ruleid: python.xpathi.tainted-xpath-query
    bad4 = TREE.xpath("/Employees/Employee[@emplid='" + emp_id.replace("'", "", 1) + "']")
    # Another value in the same query is not covered.
    # ruleid: python.xpathi.tainted-xpath-query
    bad5 = TREE.xpath(f"""//Employee[@emplid='{emp_id.replace("'", "")}' and @name='{emp_id}']""")
    return str((nodes, nodes2, nodes3, bad, bad2, bad3, bad4, bad5))


@app.route("/employee-replaced-312")
def employee_replaced_312():
    # Python 3.12 f-strings (PEP 701) may reuse their own quotes and backslashes inside {}.
    emp_id = request.args.get("id")
    root = ET.parse("employees.xml")
    # ok: python.xpathi.tainted-xpath-query
    nodes = elementpath.select(root, f'/Employees/Employee[@emplid=\'{emp_id.replace('\'', '&apos;')}\']')
    # ok: python.xpathi.tainted-xpath-query
    nodes2 = TREE.xpath(f"/Employees/Employee[@emplid='{emp_id.replace("'", "&apos;")}']")
    return str((nodes, nodes2))


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
