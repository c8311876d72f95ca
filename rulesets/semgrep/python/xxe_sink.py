# Test cases for xxe_sink.yaml (semgrep --test annotations).
import io
import xml.etree.ElementTree as ET
from xml import sax
from xml.dom import minidom, pulldom
from xml.sax.handler import ContentHandler

import defusedxml.ElementTree
from lxml import etree

CONFIG_XML = "<config><debug>false</debug></config>"


def from_parameter(document):
    # ruleid: python.xxe.lxml-default-parser-on-non-literal
    return etree.fromstring(document)


def from_file(path):
    # ruleid: python.xxe.lxml-default-parser-on-non-literal
    tree = etree.parse(path)
    # ruleid: python.xxe.stdlib-xml-parser-on-non-literal
    other = ET.parse(path)
    return tree, other


def from_message(msg):
    # ruleid: python.xxe.stdlib-xml-parser-on-non-literal
    events = pulldom.parseString(msg.body)
    # ruleid: python.xxe.stdlib-xml-parser-on-non-literal
    sax.parseString(msg.body, ContentHandler())
    # ruleid: python.xxe.stdlib-xml-parser-on-non-literal
    doc = minidom.parseString(msg.body)
    # ruleid: python.xxe.stdlib-xml-parser-on-non-literal
    root = ET.fromstring(msg.body)
    return events, doc, root


def safe_parsers(document):
    # ok: python.xxe.lxml-default-parser-on-non-literal
    a = etree.fromstring(document, etree.XMLParser(resolve_entities=False, no_network=True))
    # ok: python.xxe.stdlib-xml-parser-on-non-literal
    b = defusedxml.ElementTree.fromstring(document)
    return a, b


def constants():
    # ok: python.xxe.lxml-default-parser-on-non-literal
    a = etree.fromstring("<a>1</a>")
    # ok: python.xxe.stdlib-xml-parser-on-non-literal
    b = ET.fromstring(CONFIG_XML)
    # ok: python.xxe.stdlib-xml-parser-on-non-literal
    c = minidom.parseString(f"<root>{CONFIG_XML}</root>")
    # ok: python.xxe.lxml-default-parser-on-non-literal
    d = etree.parse(io.StringIO(CONFIG_XML))
    # ok: python.xxe.stdlib-xml-parser-on-non-literal
    e = ET.parse(io.BytesIO(b"<a/>"))
    return a, b, c, d, e
