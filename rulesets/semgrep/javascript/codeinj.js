// Test cases for codeinj.yaml (annotations as in semgrep --test).
const vm = require("vm");

function calc(req, expr) {
  // ruleid: javascript.codeinj.eval-non-literal
  eval(req.query.expr);
  // ruleid: javascript.codeinj.eval-non-literal
  eval("(" + expr + ")");
  // ok: javascript.codeinj.eval-non-literal
  eval("1 + 1");
  const FIXED = "2 * 3";
  // ok: javascript.codeinj.eval-non-literal
  eval(FIXED);

  // ruleid: javascript.codeinj.function-constructor-non-literal
  const f = new Function("a", "return a + " + expr);
  // ruleid: javascript.codeinj.function-constructor-non-literal
  Function(req.body.code)();
  // ok: javascript.codeinj.function-constructor-non-literal
  const g = new Function("a", "b", "return a + b");
  const F = Function;
  // ruleid: javascript.codeinj.function-constructor-non-literal
  new F("x", req.query.body);
  // ruleid: javascript.codeinj.function-constructor-non-literal
  F(expr)();
  // ok: javascript.codeinj.function-constructor-non-literal
  new F("x", "return x * 2");
  // ruleid: javascript.codeinj.function-constructor-non-literal
  [].constructor.constructor(req.body.code)();
  // ruleid: javascript.codeinj.function-constructor-non-literal
  (() => {}).constructor(expr)();
  // ruleid: javascript.codeinj.function-constructor-non-literal
  const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor(expr);
  // ruleid: javascript.codeinj.function-constructor-non-literal
  globalThis.Function("return " + req.query.expr)();
  // ruleid: javascript.codeinj.function-constructor-non-literal
  Function.prototype.constructor(expr)();
  // ok: javascript.codeinj.function-constructor-non-literal
  window.Function("return 1")();
  // ok: javascript.codeinj.function-constructor-non-literal
  const name = req.body.constructor.name;
  // ok: javascript.codeinj.function-constructor-non-literal
  const copy = new value.constructor(expr);

  // ruleid: javascript.codeinj.vm-non-literal
  vm.runInNewContext(req.body.script, {});
  // ruleid: javascript.codeinj.vm-non-literal
  const script = new vm.Script(expr);
  // ok: javascript.codeinj.vm-non-literal
  vm.runInThisContext("1 + 1");

  // ruleid: javascript.codeinj.timer-string-non-literal
  setTimeout("update(" + expr + ")", 100);
  // ruleid: javascript.codeinj.timer-string-non-literal
  setInterval(`tick(${expr})`, 1000);
  // ok: javascript.codeinj.timer-string-non-literal
  setTimeout(() => update(expr), 100);
  // ok: javascript.codeinj.timer-string-non-literal
  setTimeout(callback, 100);
}
