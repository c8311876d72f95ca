"""Trojan Source characters, found in the bytes (no tree needed, any language): bidirectional
controls (`bidi-control`, CVE-2021-42574) and invisible characters (`invisible-character`).
One hit per line, naming the characters found on it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from reviewbot.scanners.ts_checks.check import Check
from reviewbot.scanners.ts_file import Deadline, FileContext, Hit


def _code_points(chars: str) -> str:
    return ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, 'unnamed')}" for c in dict.fromkeys(chars))


def _encoded(*ranges: tuple[int, int]) -> bytes:
    """A bytes regex alternation matching the UTF-8 encoding of each code point in the ranges."""
    return b"|".join(re.escape(chr(c).encode()) for lo, hi in ranges for c in range(lo, hi + 1))


_MAX_CHARS_NAMED = 8  # a message names at most this many distinct characters


def _line_groups(source: bytes, spans: Iterator[tuple[int, int]], deadline: Deadline) -> Iterator[tuple[int, int, str]]:
    """Merge character spans (in order) on the same line into one (start, end, characters) per line."""
    current: list[int] | None = None  # [start, end]
    chars: dict[str, None] = {}
    for start, end in spans:
        if deadline.passed():
            break
        if current is not None and source.find(b"\n", current[1], start) == -1:
            current[1] = end
        else:
            if current is not None:
                yield current[0], current[1], "".join(chars)
            current, chars = [start, end], {}
        if len(chars) < _MAX_CHARS_NAMED:
            for ch in source[start:end].decode("utf-8", "replace"):
                chars.setdefault(ch)
    if current is not None:
        yield current[0], current[1], "".join(chars)


def _line_hits(ctx: FileContext, spans: Iterator[tuple[int, int]], what: str) -> Iterator[Hit]:
    """One hit per line of `spans`: "<what> U+XXXX NAME, ... in this line."."""
    for start, end, chars in _line_groups(ctx.source, spans, ctx.deadline):
        yield Hit(start, end, f"{what} {_code_points(chars)} in this line.")


# --- bidi-control: Trojan Source (CVE-2021-42574)

_BIDI = re.compile(_encoded((0x202A, 0x202E), (0x2066, 0x2069), (0x200E, 0x200F), (0x061C, 0x061C)))


def _check_bidi(ctx: FileContext) -> Iterator[Hit]:
    if ctx.source.isascii():
        return
    spans = ((m.start(), m.end()) for m in _BIDI.finditer(ctx.source))
    yield from _line_hits(ctx, spans, "Bidirectional control character(s)")


# --- invisible-character

# Always suspicious: zero-width space, word joiner and invisible operators, Mongolian vowel
# separator, Hangul fillers (letters to Python, blank on screen), a byte-order mark past the
# start of the file, and tag characters (invisible ASCII, used to smuggle text).
_ALWAYS_INVISIBLE = _encoded(
    (0x200B, 0x200B), (0x2060, 0x2064), (0x180E, 0x180E), (0x115F, 0x1160),
    (0x3164, 0x3164), (0xFFA0, 0xFFA0), (0xFEFF, 0xFEFF),
)  # fmt: skip
_TAGS = rb"\xf3\xa0[\x80\x81][\x80-\xbf]"  # U+E0000..U+E007F
# Joiners are legitimate inside emoji sequences and Arabic/Indic words, so they count only next
# to ASCII. Variation selectors are legitimate one at a time; a run of them encodes hidden data.
_JOINERS = _encoded((0x200C, 0x200D))
_VARIATION_SELECTOR = rb"\xef\xb8[\x80-\x8f]|\xf3\xa0[\x84-\x87][\x80-\xbf]"  # U+FE00..FE0F, U+E0100..E01EF
_INVISIBLE = re.compile(
    rb"(?P<always>(?:" + _ALWAYS_INVISIBLE + rb"|" + _TAGS + rb")+)"
    rb"|(?P<joiner>" + _JOINERS + rb")"
    rb"|(?P<selectors>(?:" + _VARIATION_SELECTOR + rb"){2,})"
)


def _neighbour_is_ascii(source: bytes, start: int, end: int) -> bool:
    before = source[start - 1] if start > 0 else 0x0A
    after = source[end] if end < len(source) else 0x0A
    return before < 0x80 or after < 0x80


def _invisible_spans(source: bytes) -> Iterator[tuple[int, int]]:
    for m in _INVISIBLE.finditer(source):
        if m.group("joiner") is not None and not _neighbour_is_ascii(source, m.start(), m.end()):
            continue
        start = m.start()
        if start == 0 and source.startswith(b"\xef\xbb\xbf"):  # a byte-order mark where one belongs
            start = 3
            if m.end() == 3:
                continue
        yield start, m.end()


def _check_invisible(ctx: FileContext) -> Iterator[Hit]:
    if ctx.source.isascii():
        return
    yield from _line_hits(ctx, _invisible_spans(ctx.source), "Invisible character(s)")


BIDI_CONTROL = Check("bidi-control", needs_tree=False, languages=None, run=_check_bidi)
INVISIBLE_CHARACTER = Check("invisible-character", needs_tree=False, languages=None, run=_check_invisible)
