// Test cases for invisible-character.yaml (annotations as in semgrep --test).
// The invisible characters below are real ones, not escapes: view this file with a hex viewer.

// ruleid: javascript.trojansource.invisible-character
const ADMIN_ROLE = "admin​";
// ruleid: javascript.trojansource.invisible-character
const WORD_JOINED = "pass⁠word";
// ruleid: javascript.trojansource.invisible-character
const ROLE = `ad‍min`;
// ruleid: javascript.trojansource.invisible-character
// a comment with a hidden​ space
// ok: javascript.trojansource.invisible-character
const FAMILY = "👨‍👩‍👧";
// ok: javascript.trojansource.invisible-character
const ESCAPED = "\u200b\u2060\ufeff";
