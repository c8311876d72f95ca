// Test cases for regex-catastrophic-backtracking.yaml (annotations as in semgrep --test).
// Valid JavaScript, TypeScript and TSX: the rule tests scan it under all three.

// ruleid: javascript.dos.regex-catastrophic-backtracking
const nested = /^(a+)+$/;
// ruleid: javascript.dos.regex-catastrophic-backtracking
const words = /^(\w+\s?)*$/i;
// ruleid: javascript.dos.regex-catastrophic-backtracking
const newlines = /((\r\n|\r|\n)+) *$/;
// ruleid: javascript.dos.regex-catastrophic-backtracking
const quoted = new RegExp("'(''|\\\\\\\\|\\\\'|[^'])*'");
// ruleid: javascript.dos.regex-catastrophic-backtracking
const email = RegExp('^([a-zA-Z0-9_.-]+)*@example\\.com$', "i");

export function isWords(s) {
  // ruleid: javascript.dos.regex-catastrophic-backtracking
  return /^(\s*\w+)*;/.test(s);
}

// ok: javascript.dos.regex-catastrophic-backtracking
const separated = /^(\d+_)*$/;
// ok: javascript.dos.regex-catastrophic-backtracking
const exclusive = /"(?:[^"\\]|\\.)*"/;
// ok: javascript.dos.regex-catastrophic-backtracking
const simple = /^[a-z0-9-]+$/;
// ok: javascript.dos.regex-catastrophic-backtracking
const built = new RegExp(prefix + "(a+)+");
// ok: javascript.dos.regex-catastrophic-backtracking
const named = /(?<year>\d{4})-(?<month>\d{2})/;
// ok: javascript.dos.regex-catastrophic-backtracking
const text = "(a+)+ is a pattern, in prose";
// ok: javascript.dos.regex-catastrophic-backtracking
const other = Pattern("(a+)+");
// ruleid: javascript.dos.regex-catastrophic-backtracking
const domain = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.?)+[a-z0-9]$/i;
// ok: javascript.dos.regex-catastrophic-backtracking
const labels = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]$/i;
// ok: javascript.dos.regex-catastrophic-backtracking
const dashed = /^(?:a(?:-a)?)+$/;
