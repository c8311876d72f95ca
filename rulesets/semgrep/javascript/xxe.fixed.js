// Test cases for xxe.yaml (annotations as in semgrep --test).
const libxml = require("libxmljs");

function parse(data) {
  // ruleid: javascript.xxe.libxmljs-noent
  const doc = libxml.parseXml(data, { noblanks: true, noent: false, nocdata: true });
  // ok: javascript.xxe.libxmljs-noent
  const safe = libxml.parseXml(data, { noblanks: true });
  return [doc, safe];
}
