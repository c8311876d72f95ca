"""`http-lax-length-parse` reads the whole module: what the annotated rule test file cannot show
is that a module with no chunked-coding code (an application behind a server that already
framed the request) is not looked at, however it reads Content-Length.
"""

from __future__ import annotations

from pathlib import Path

from reviewbot.scanners.treesitter import TreeSitterScanner, builtin_rules_dir

RULE = "python.smuggling.lax-length-parse"

VIEW = """def upload(request):
    size = int(request.headers.get("Content-Length", 0))
    return size
"""


def _lines(tmp_path: Path, source: str) -> list[int]:
    (tmp_path / "server.py").write_text(source, encoding="utf-8")
    out = TreeSitterScanner(builtin_rules_dir()).scan(tmp_path, ["server.py"])
    assert not out.warnings, out.warnings
    return [m.start_line for m in out.matches if m.rule_id == RULE]


def test_an_application_reading_a_framed_length_is_not_looked_at(tmp_path: Path) -> None:
    assert _lines(tmp_path, VIEW) == []


def test_the_same_read_in_a_parser_that_handles_chunked_bodies_is_reported(tmp_path: Path) -> None:
    parser = VIEW + '\n\ndef is_chunked(headers):\n    return headers.get("Transfer-Encoding") == "chunked"\n'
    assert _lines(tmp_path, parser) == [2]


def test_a_name_assigned_from_the_header_is_followed_and_a_strict_match_clears_it(tmp_path: Path) -> None:
    lax = (
        "import re\n\nDIGITS = re.compile(r'[0-9]+', re.ASCII)\n\n\n"
        "def length(headers):  # chunked bodies are read elsewhere\n"
        "    value = headers['CONTENT_LENGTH']\n"
        "    return int(value)\n"
    )
    assert _lines(tmp_path, lax + "\n\nCHUNKED = 'chunked'\n") == [8]
    strict = lax.replace(
        "    return int(value)\n",
        "    if not DIGITS.fullmatch(value):\n        raise ValueError\n    return int(value)\n",
    )
    assert _lines(tmp_path, strict + "\n\nCHUNKED = 'chunked'\n") == []
