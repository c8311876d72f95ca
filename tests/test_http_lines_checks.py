"""The framing checks of `http_lines` and `http_length_fallback` read the whole module: what the
annotated rule test files cannot show is that a module with no chunked-coding code (an
application behind a server that already framed the request) is not looked at.
"""

from __future__ import annotations

from pathlib import Path

from reviewbot.scanners.treesitter import TreeSitterScanner, builtin_rules_dir

RULES = (
    "python.smuggling.header-split-on-bare-lf",
    "python.smuggling.malformed-header-line-skipped",
    "python.smuggling.invalid-length-fallback",
)

APPLICATION = """def read(header, lines, headers):
    parts = header.split(b"\\n")
    for line in lines:
        i = line.find(b":")
        if i > 0:
            parts.append(line[:i])
    try:
        n = int(headers.get("Content-Length", 0))
    except ValueError:
        n = 0
    return parts, n
"""
CHUNKED = '\n\ndef is_chunked(headers):\n    return headers.get("Transfer-Encoding") == "chunked"\n'


def _found(tmp_path: Path, source: str) -> list[tuple[str, int]]:
    (tmp_path / "server.py").write_text(source, encoding="utf-8")
    out = TreeSitterScanner(builtin_rules_dir()).scan(tmp_path, ["server.py"])
    assert not out.warnings, out.warnings
    return sorted((m.rule_id, m.start_line) for m in out.matches if m.rule_id in RULES)


def test_an_application_without_chunked_code_is_not_looked_at(tmp_path: Path) -> None:
    assert _found(tmp_path, APPLICATION) == []


def test_the_same_code_in_a_parser_that_handles_chunked_bodies_is_reported(tmp_path: Path) -> None:
    assert _found(tmp_path, APPLICATION + CHUNKED) == [
        ("python.smuggling.header-split-on-bare-lf", 2),
        ("python.smuggling.invalid-length-fallback", 10),
        ("python.smuggling.malformed-header-line-skipped", 4),
    ]
