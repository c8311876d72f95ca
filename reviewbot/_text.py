"""The one escaping function for text from the input that reaches a terminal or a log.

File names, patch paths, revisions, rule ids, reasons and git's own messages can come from a
change or from another person. Printed raw, an ANSI sequence repaints the terminal, a bidi
override reorders what is read, an invisible character hides a difference, and a newline
forges a second log line. `escape_control` shows each of them as a visible `\\uXXXX` escape;
the reporters and every CLI message that names a value go through it.
"""

from __future__ import annotations

import re

# C0 controls but tab (it cannot move the cursor back, clear or start a line), DEL, C1
# controls, the bidi embeddings/overrides/isolates and marks, invisible format characters
# (zero-width, word joiner, soft hyphen, BOM, interlinear annotation), the Unicode line and
# paragraph separators, and lone surrogates (undecodable bytes of a name, which a strict
# stream would refuse to print at all).
_CONTROL = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e"
    "\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb\ud800-\udfff]"
)


def escape_control(text: str, *, keep_newlines: bool = False) -> str:
    """`text` inert on a terminal: each control, bidi or invisible character as `\\uXXXX`.

    `keep_newlines`: leave `\\n` and `\\r` for a caller that encodes them itself (a workflow
    command's message, where the toolkit's `%0A` keeps them from starting a line)."""
    if keep_newlines:
        return _CONTROL.sub(lambda m: m.group() if m.group() in "\r\n" else f"\\u{ord(m.group()):04x}", text)
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def replace_control(text: str, replacement: str = "\ufffd") -> str:
    """`text` with the same characters as `escape_control` replaced, newlines kept.

    For markdown, where a visible `\\uXXXX` would read as code: each is shown as `replacement`."""
    return _CONTROL.sub(lambda m: m.group() if m.group() == "\n" else replacement, text)
