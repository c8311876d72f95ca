"""`mixed-script-identifier`: Trojan Source homoglyphs (CVE-2021-42694). An identifier whose words
mix scripts, with a letter that imitates a letter of the word's own script (a Cyrillic a in a
Latin word), is reported; words in one script, and look-alike-free mixes, are not.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import cache

from reviewbot.scanners.ts_checks.check import Check
from reviewbot.scanners.ts_file import FileContext, Hit

# Letters of other scripts that look like Latin letters (a subset of Unicode's confusables.txt:
# the ones that are indistinguishable in common fonts), as code points, with the Latin letter
# they imitate. Escapes, not the characters: this table must not be a Trojan Source itself.
_LOOKALIKES: dict[str, str] = {
    # Cyrillic
    "\u0430": "a", "\u0435": "e", "\u043e": "o", "\u0440": "p", "\u0441": "c", "\u0443": "y", "\u0445": "x",
    "\u0455": "s", "\u0456": "i", "\u0458": "j", "\u0501": "d", "\u04bb": "h", "\u04cf": "l", "\u051b": "q",
    "\u051d": "w", "\u04af": "y", "\u0410": "A", "\u0412": "B", "\u0415": "E", "\u041a": "K", "\u041c": "M",
    "\u041d": "H", "\u041e": "O", "\u0420": "P", "\u0421": "C", "\u0422": "T", "\u0425": "X", "\u0423": "Y",
    "\u0405": "S", "\u0406": "I", "\u0408": "J", "\u04ae": "Y", "\u04c0": "I", "\u051a": "Q", "\u051c": "W",
    # Greek
    "\u03bf": "o", "\u03b1": "a", "\u03bd": "v", "\u03c1": "p", "\u03b9": "i", "\u03ba": "k", "\u03c5": "u",
    "\u0391": "A", "\u0392": "B", "\u0395": "E", "\u0396": "Z", "\u0397": "H", "\u0399": "I", "\u039a": "K",
    "\u039c": "M", "\u039d": "N", "\u039f": "O", "\u03a1": "P", "\u03a4": "T", "\u03a5": "Y", "\u03a7": "X",
    # Armenian
    "\u0585": "o", "\u057d": "u", "\u0570": "h", "\u0578": "n", "\u0566": "q",
}  # fmt: skip
# Scripts, as the first word of their letters' Unicode names ("CYRILLIC SMALL LETTER A").
_SCRIPTS = frozenset({
    "LATIN", "GREEK", "CYRILLIC", "ARMENIAN", "HEBREW", "ARABIC", "SYRIAC", "THAANA", "DEVANAGARI",
    "BENGALI", "GURMUKHI", "GUJARATI", "ORIYA", "TAMIL", "TELUGU", "KANNADA", "MALAYALAM", "SINHALA",
    "THAI", "LAO", "TIBETAN", "MYANMAR", "GEORGIAN", "HANGUL", "ETHIOPIC", "CHEROKEE", "CANADIAN",
    "OGHAM", "RUNIC", "KHMER", "MONGOLIAN", "HIRAGANA", "KATAKANA", "BOPOMOFO", "HAN", "COPTIC",
    "GLAGOLITIC", "TIFINAGH", "YI", "LISU", "VAI",
})  # fmt: skip
_JS_IDENTIFIERS = frozenset(
    {"identifier", "property_identifier", "shorthand_property_identifier", "shorthand_property_identifier_pattern"}
    | {"private_property_identifier", "type_identifier", "statement_identifier"}
)
_IDENTIFIER_TYPES = {
    "python": frozenset({"identifier"}),
    **dict.fromkeys(("javascript", "typescript", "tsx"), _JS_IDENTIFIERS),
}
_NON_ASCII_RUN = re.compile(rb"[\x80-\xff]+")
_LETTER_RUN = re.compile(r"[^\W\d_]+")


@cache
def _script(ch: str) -> str | None:
    """The script of a letter, from its Unicode name; None when unknown or shared (Common)."""
    words = unicodedata.name(ch, "").split()
    if not words:
        return None
    first = words[0]
    if first in ("FULLWIDTH", "HALFWIDTH") and len(words) > 1:
        first = words[1]
    if first in ("CJK", "IDEOGRAPHIC"):
        return "HAN"
    return first if first in _SCRIPTS else None


def _words(identifier: str) -> Iterator[str]:
    """Letter runs, split at `_`, digits and lowerUpper case changes (`getData` -> get, Data)."""
    for run in _LETTER_RUN.findall(identifier):
        start = 0
        for i in range(1, len(run)):
            if run[i - 1].islower() and run[i].isupper():
                yield run[start:i]
                start = i
        yield run[start:]


def _confusable(identifier: str) -> str | None:
    """Why `identifier` is a mixed-script homoglyph, or None.

    Per word, the script with most letters is the word's own (Latin on a tie). A letter of
    another script is suspect when it imitates a letter of the word's script: a Cyrillic a in a
    Latin word, or a Latin e in a Cyrillic one. Greek capital delta + t (no look-alike), a Latin
    and a Cyrillic word joined by `_` (two words) and words in one script are not reported.
    """
    for word in _words(identifier):
        scripts = [_script(ch) for ch in word]
        counts: dict[str, int] = {}
        for script in scripts:
            if script is not None:
                counts[script] = counts.get(script, 0) + 1
        if len(counts) < 2:
            continue
        latin = counts.get("LATIN", 0)
        own = "LATIN" if latin >= max(counts.values()) else max(counts, key=lambda s: counts[s])
        mixed = " and ".join(sorted(counts))
        for ch, script in zip(word, scripts, strict=True):
            if script is None or script == own:
                continue
            if script != "LATIN" and ch in _LOOKALIKES:
                name = unicodedata.name(ch)
                return f"`{identifier}` mixes {mixed} letters: U+{ord(ch):04X} {name} looks like `{_LOOKALIKES[ch]}`."
            if script == "LATIN" and ch in _imitated(own):
                return f"`{identifier}` mixes {mixed} letters: the Latin `{ch}` looks like a {own.title()} letter."
    return None


@cache
def _imitated(script: str) -> frozenset[str]:
    """The Latin letters that a letter of `script` imitates (so they imitate it back)."""
    return frozenset(latin for other, latin in _LOOKALIKES.items() if _script(other) == script)


def _check_mixed_script(ctx: FileContext) -> Iterator[Hit]:
    if ctx.tree is None or ctx.source.isascii():
        return
    types = _IDENTIFIER_TYPES[ctx.language]
    root = ctx.tree.root_node
    verdicts: dict[str, str | None] = {}
    covered = 0  # the end of the last leaf looked at: a long comment or string is looked up once
    for m in _NON_ASCII_RUN.finditer(ctx.source):
        if m.start() < covered:
            continue
        if ctx.deadline.passed():
            return
        node = root.descendant_for_byte_range(m.start(), m.start() + 1)
        if node is None:
            continue
        covered = max(node.end_byte, m.end())
        if node.type not in types:
            continue
        text = ctx.text(node)
        if text not in verdicts:
            verdicts[text] = _confusable(text)
        why = verdicts[text]
        if why is not None:
            yield Hit(node.start_byte, node.end_byte, why)


CHECK = Check(
    "mixed-script-identifier",
    needs_tree=True,
    languages=frozenset(_IDENTIFIER_TYPES),
    run=_check_mixed_script,
)
