// Test cases for protopollution.yaml (annotations as in semgrep --test).
const _ = require("lodash");
const dotProp = require("dot-prop");
import mergeWith from "lodash/mergeWith";

function merge(target, source) {
  for (const key in source) {
    if (typeof source[key] === "object" && source[key] !== null) {
      if (!target[key]) target[key] = {};
      // ruleid: javascript.protopollution.recursive-merge-without-key-check
      merge(target[key], source[key]);
    } else {
      target[key] = source[key];
    }
  }
  return target;
}

const deepAssign = (t, s) => {
  Object.keys(s).forEach((k) => {
    // ruleid: javascript.protopollution.recursive-merge-without-key-check
    t[k] = isObject(s[k]) ? deepAssign(t[k] || {}, s[k]) : s[k];
  });
  return t;
};

class Config {
  mergeInto(dst, src) {
    for (const k of Object.keys(src)) {
      // ruleid: javascript.protopollution.recursive-merge-without-key-check
      if (isObject(src[k])) this.mergeInto(dst[k], src[k]);
      else dst[k] = src[k];
    }
  }
}

function safeMerge(target, source) {
  for (const key of Object.keys(source)) {
    if (key === "__proto__" || key === "constructor" || key === "prototype") continue;
    // ok: javascript.protopollution.recursive-merge-without-key-check
    if (isObject(source[key])) safeMerge(target[key], source[key]);
    else target[key] = source[key];
  }
}

function cloneDeep(obj) {
  const out = {};
  for (const key in obj) {
    // ok: javascript.protopollution.recursive-merge-without-key-check
    out[key] = typeof obj[key] === "object" ? cloneDeep(obj[key]) : obj[key];
  }
  return out;
}

function mergeOptions(target, source) {
  // ok: javascript.protopollution.recursive-merge-without-key-check
  return mergeOptions(target["defaults"], source);
}

function setPath(obj, path, value) {
  const keys = path.split(".");
  let cur = obj;
  for (let i = 0; i < keys.length - 1; i++) {
    if (!cur[keys[i]]) cur[keys[i]] = {};
    // ruleid: javascript.protopollution.path-walk-without-key-check
    cur = cur[keys[i]];
  }
  cur[keys[keys.length - 1]] = value;
}

const setIn = (obj, path, value) => {
  const parts = path.split("/");
  const last = parts.pop();
  // ruleid: javascript.protopollution.path-walk-without-key-check
  const parent = parts.reduce((o, p) => (o[p] = o[p] || {}), obj);
  parent[last] = value;
};

function setPathChecked(obj, path, value) {
  const keys = path.split(".");
  let cur = obj;
  for (const k of keys.slice(0, -1)) {
    if (k === "__proto__" || k === "constructor") throw new Error("bad key");
    // ok: javascript.protopollution.path-walk-without-key-check
    cur = cur[k] = cur[k] || {};
  }
  cur[keys[keys.length - 1]] = value;
}

function lookup(obj, path) {
  let cur = obj;
  for (const k of path.split(".")) {
    // ok: javascript.protopollution.path-walk-without-key-check
    cur = cur[k];
  }
  return cur;
}

function firstChildren(nodes) {
  let node = nodes;
  for (let i = 0; i < 3; i++) {
    // ok: javascript.protopollution.path-walk-without-key-check
    node = node["children"];
    node.seen = true;
  }
}

app.post("/prefs", (req, res) => {
  const prefs = {};
  // ruleid: javascript.protopollution.nested-key-assignment-from-request
  prefs[req.body.section][req.body.name] = req.body.value;
  const { group, key } = req.query;
  // ruleid: javascript.protopollution.nested-key-assignment-from-request
  settings[group][key] = req.query.value;
  // ok: javascript.protopollution.nested-key-assignment-from-request
  prefs["ui"][req.body.name] = req.body.value;
  // ok: javascript.protopollution.nested-key-assignment-from-request
  grid[row][col] = 0;
  res.end();
});

app.put("/profile", (req, res) => {
  // ruleid: javascript.protopollution.deep-merge-of-request-data
  _.merge(user.settings, req.body);
  // ruleid: javascript.protopollution.deep-merge-of-request-data
  _.set(user, req.body.path, req.body.value);
  // ruleid: javascript.protopollution.deep-merge-of-request-data
  _.defaultsDeep(options, JSON.parse(req.query.opts));
  // ruleid: javascript.protopollution.deep-merge-of-request-data
  dotProp.set(store, req.params.key, req.body);
  // ruleid: javascript.protopollution.deep-merge-of-request-data
  mergeWith(config, JSON.parse(raw), customizer);
  // ruleid: javascript.protopollution.deep-merge-of-request-data
  $.extend(true, {}, defaults, JSON.parse(message));
  // ok: javascript.protopollution.deep-merge-of-request-data
  _.merge(user.settings, { theme: req.body.theme === "dark" ? "dark" : "light" });
  // ok: javascript.protopollution.deep-merge-of-request-data
  _.merge({}, defaults, overrides);
  // ok: javascript.protopollution.deep-merge-of-request-data
  _.get(user, req.query.field);
  // ok: javascript.protopollution.deep-merge-of-request-data
  $.extend({}, defaults, JSON.parse(message));
  res.end();
});

function traverse(node, callback) {
  callback(node);
  for (const id in node.children) {
    // ok: javascript.protopollution.recursive-merge-without-key-check
    traverse(node.children[id], callback);
  }
}

// A merge callback (forIn(source, copy, target)) and a recursive set-by-path.
function copy(val, key) {
  var obj = this[key];
  if (isObject(val) && isObject(obj)) {
    // ruleid: javascript.protopollution.keyed-descent-without-key-check
    mixinDeep(obj, val);
  } else {
    this[key] = val;
  }
}
function setPath(obj, path, value) {
  var current = path[0];
  if (path.length === 1) {
    obj[current] = value;
    return value;
  }
  if (obj[current] === undefined) obj[current] = {};
  // ruleid: javascript.protopollution.keyed-descent-without-key-check
  return setPath(obj[current], path.slice(1), value);
}
function copySafe(val, key) {
  if (key === "__proto__") return;
  var obj = this[key];
  // ok: javascript.protopollution.keyed-descent-without-key-check
  if (isObject(obj)) mixinDeep(obj, val);
  else this[key] = val;
}
function cloneTree(o) {
  const out = {};
  // ok: javascript.protopollution.keyed-descent-without-key-check
  for (const k in o) out[k] = cloneTree(o[k], 1);
  return out;
}
function refresh(cache, id, data) {
  const item = cache[id];
  // ok: javascript.protopollution.keyed-descent-without-key-check
  render(item, data);
  cache[id] = data;
}
