# Test cases for xpathi_sink.yaml (semgrep --test annotations).
import lxml.etree
from lxml import etree

ROOT_NAME = "users"


def lookup(tree, name, tag, elem):
    # ruleid: python.xpathi.xpath-built-from-non-constant
    tree.xpath(".//user[name/text()='%s']" % name)
    # ruleid: python.xpathi.xpath-built-from-non-constant
    tree.xpath("//user[@id='" + name + "']")
    # ruleid: python.xpathi.xpath-built-from-non-constant
    etree.XPath(f"//user[name='{name}']")
    # ruleid: python.xpathi.xpath-built-from-non-constant
    lxml.etree.XPath("//user[name='{}']".format(name))
    # ruleid: python.xpathi.xpath-built-from-non-constant
    elem.findall(".//user[@name='%s']" % name)
    # a variable is the safe form
    # ok: python.xpathi.xpath-built-from-non-constant
    tree.xpath("//user[name=$name]", name=name)
    # ok: python.xpathi.xpath-built-from-non-constant
    tree.xpath("//user[name='admin']")
    # ok: python.xpathi.xpath-built-from-non-constant
    tree.xpath("//%s" % ROOT_NAME)
    # ok: python.xpathi.xpath-built-from-non-constant
    tree.xpath(f"//users/user")
    # a path by tag, no predicate: not a query over values
    # ok: python.xpathi.xpath-built-from-non-constant
    elem.findall(".//" + tag)
    # ok: python.xpathi.xpath-built-from-non-constant
    elem.find("{%s}item" % tag)
