// Test cases for regex-polynomial-backtracking.yaml (annotations as in semgrep --test).
// Valid JavaScript, TypeScript and TSX: the rule tests scan it under all three.

// ruleid: javascript.dos.regex-polynomial-backtracking
const hue = /^hwb\(\s*([+-]?\d*[\.]?\d+)(?:deg)?\s*,/;
// ruleid: javascript.dos.regex-polynomial-backtracking
const user = new RegExp("^([^:]+):(?:[^@:]+(?:[^@]+)?@)?([^/]*)/");
// ruleid: javascript.dos.regex-polynomial-backtracking
const enclosure = /[\{\[].*[\/]*.*[\}\]]$/;
// ruleid: javascript.dos.regex-polynomial-backtracking
const spaced = /\(\s*(?:-)?\s*\)/;

export function link(s) {
  // ruleid: javascript.dos.regex-polynomial-backtracking
  return /\]\((?<url>[^/)]+)[^)]*\)/.exec(s);
}

// ok: javascript.dos.regex-polynomial-backtracking
const bounded = /^hwb\(([+-]?\d{0,3}(?:\.\d+)?)(?:deg)?,/;
// ok: javascript.dos.regex-polynomial-backtracking
const required = /^([^:]+):(?:[^@]+@)?(?:([^/]*)\/)?([^#]+)/;
// ok: javascript.dos.regex-polynomial-backtracking
const disjoint = /^\s*(\w+)\s*=/;
// ok: javascript.dos.regex-polynomial-backtracking
const quoted = /'[^']*(?:''[^']*)*'/;
// ok: javascript.dos.regex-polynomial-backtracking
const anchoredOnly = /^\d+\.?\d*$/;
// ok: javascript.dos.regex-polynomial-backtracking
const endsHere = /:\s*(.*)/;
// ok: javascript.dos.regex-polynomial-backtracking
const exponential = /^(a+)+$/;
