// Test cases for deserialization.yaml (annotations as in semgrep --test).
const serialize = require("node-serialize");
const yaml = require("js-yaml");

function restore(req, text) {
  // ruleid: javascript.deserialization.node-serialize-unserialize
  const profile = serialize.unserialize(req.cookies.profile);
  // ok: javascript.deserialization.node-serialize-unserialize
  const fixed = serialize.unserialize('{"a":1}');
  // ruleid: javascript.deserialization.js-yaml-unsafe-load
  const doc = yaml.load(text);
  // ruleid: javascript.deserialization.js-yaml-unsafe-load
  const full = yaml.load(text, { schema: yaml.DEFAULT_FULL_SCHEMA });
  // ok: javascript.deserialization.js-yaml-unsafe-load
  const safe = yaml.safeLoad(text);
  // ok: javascript.deserialization.js-yaml-unsafe-load
  const json = yaml.load(text, { schema: yaml.JSON_SCHEMA });
  return [profile, fixed, doc, full, safe, json];
}

const cryo = require("cryo");
const funcster = require("funcster");
function revive(body) {
  // ruleid: javascript.deserialization.node-serialize-unserialize
  const state = cryo.parse(body.state);
  // ruleid: javascript.deserialization.node-serialize-unserialize
  const fns = funcster.deepDeserialize(body.fns);
  // ok: javascript.deserialization.node-serialize-unserialize
  const plain = JSON.parse(body.state);
  return [state, fns, plain];
}
