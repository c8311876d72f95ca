// Test cases for bidi-control-character.yaml (annotations as in semgrep --test).
// The control characters below are real ones, not escapes: view this file with a hex viewer.

function isAdmin(accessLevel) {
  // ruleid: javascript.trojansource.bidi-control-character
  if (accessLevel !== "user‮ ⁦// check if admin⁩ ⁦") {
    return false;
  }
  return true;
}

function transfer(amount, limit) {
  // ruleid: javascript.trojansource.bidi-control-character
  /* Refund only‫ when allowed‬. */
  // ruleid: javascript.trojansource.bidi-control-character
  return amount; // ‮limit > amount if‬
}

// ruleid: javascript.trojansource.bidi-control-character
const MARK = "‎";
// ruleid: javascript.trojansource.bidi-control-character
const TEXT = `second line ⁧hidden⁩ and ⁨more⁩`;
// ok: javascript.trojansource.bidi-control-character
const ESCAPED = "\u202e is written as an escape";
// ok: javascript.trojansource.bidi-control-character
const HEBREW = "שלום עולם";
// ok: javascript.trojansource.bidi-control-character
const ZERO_WIDTH = "a​b";
