// Test cases for redos.yaml (annotations as in semgrep --test).
function filter(req, items, term) {
  // ruleid: javascript.dos.non-literal-regexp
  const re = new RegExp(req.query.pattern);
  // ruleid: javascript.dos.non-literal-regexp
  const words = RegExp("^" + term + "$", "i");
  // ok: javascript.dos.non-literal-regexp
  const fixed = new RegExp("^[a-z]+$");
  // ok: javascript.dos.non-literal-regexp
  const escaped = new RegExp(_.escapeRegExp(term), "i");
  return items.filter((i) => re.test(i) || words.test(i) || fixed.test(i) || escaped.test(i));
}
