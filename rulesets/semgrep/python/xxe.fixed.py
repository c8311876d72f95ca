# Test cases for xxe.yaml (semgrep --test annotations).
import xml.dom.minidom
import xml.sax
import xml.sax.handler

import defusedxml.ElementTree
import lxml.etree
from fastapi import FastAPI
from flask import Flask, request

app = Flask(__name__)
api = FastAPI()


@app.route("/import", methods=["POST"])
def import_xml():
    doc = request.form["xml"]
    parser = xml.sax.make_parser()
    # ruleid: python.xxe.sax-external-entities-enabled
    parser.setFeature(xml.sax.handler.feature_external_ges, False)
    # ruleid: python.xxe.tainted-xml-parse
    dom = xml.dom.minidom.parseString(doc, parser)
    return dom.toxml()


@app.route("/import-safe", methods=["POST"])
def import_xml_safe():
    doc = request.form["xml"]
    parser = xml.sax.make_parser()
    # ok: python.xxe.sax-external-entities-enabled
    parser.setFeature(xml.sax.handler.feature_external_ges, False)
    # ok: python.xxe.tainted-xml-parse
    dom = xml.dom.minidom.parseString(doc, parser)
    # ok: python.xxe.tainted-xml-parse
    dom2 = xml.dom.minidom.parseString(doc)
    return dom.toxml() + dom2.toxml()


@app.route("/lxml", methods=["POST"])
def with_lxml():
    body = request.get_data()
    # ruleid: python.xxe.tainted-xml-parse
    root = lxml.etree.fromstring(body)
    safe_parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True)
    # ok: python.xxe.tainted-xml-parse
    root2 = lxml.etree.fromstring(body, safe_parser)
    # ok: python.xxe.tainted-xml-parse
    root3 = defusedxml.ElementTree.fromstring(body)
    # ruleid: python.xxe.lxml-entities-enabled
    bad_parser = lxml.etree.XMLParser(resolve_entities=True)
    # ruleid: python.xxe.tainted-xml-parse
    root4 = lxml.etree.fromstring(body, bad_parser)
    return str((root, root2, root3, root4))


@api.post("/feed")
def feed(xml_text: str):
    # ruleid: python.xxe.tainted-xml-parse
    return lxml.etree.XML(xml_text)


def load_local_config(path):
    # ok: python.xxe.tainted-xml-parse
    return lxml.etree.parse(path)


# ruleid: python.xxe.lxml-entities-enabled
LOOSE = lxml.etree.XMLParser(no_network=False)
# ok: python.xxe.lxml-entities-enabled
STRICT = lxml.etree.XMLParser(resolve_entities=False, no_network=True)


@app.route("/sliced", methods=["POST"])
def sliced():
    # A slice keeps the taint of what was assigned to the variable (semgrep drops it on its own).
    body = request.get_data()
    # ruleid: python.xxe.tainted-xml-parse
    tree = lxml.etree.fromstring(body[3:])
    stub = b"<a/><b/>"
    # ok: python.xxe.tainted-xml-parse
    stub_tree = lxml.etree.fromstring(stub[:4])
    return lxml.etree.tostring(tree) + lxml.etree.tostring(stub_tree)
