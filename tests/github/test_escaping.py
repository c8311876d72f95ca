"""Untrusted text in markdown and in workflow commands; markers; hunks; the event border."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from reviewbot.github.anchors import parse_hunks
from reviewbot.github.event import EventError, PullRequestEvent, load_event
from reviewbot.github.fallback import command, escape_data, escape_property
from reviewbot.github.markers import MarkerKind, finding_marker, is_trusted_author, parse_marker
from reviewbot.redact import redact_text
from reviewbot.reporters.markdown import code_span, escape, fence, plain

DATA = Path(__file__).parent.parent / "data" / "github"


def test_markdown_escape_neutralises_html_links_mentions_and_newlines() -> None:
    text = "<img src=x onerror=alert(1)> [click](http://evil) @org/team #12 `x` | a\n## heading"
    out = escape(text)
    for bad in ("<img", "[click](", "@org", "\n", "| a"):
        assert bad not in out
    assert not re.search(r"(?<!&)#\d", out)  # only entities (&#35;) are left, no #12 reference
    assert "&lt;img" in out and "&#64;\u200dorg" in out and "&#35;\u200d12" in out


def test_fences_are_longer_than_any_backtick_run() -> None:
    code = "x = '```'\ny = '````'"
    block = fence(code, "suggestion")
    assert block.startswith("`````suggestion\n") and block.endswith("\n`````")
    assert block[len("`````suggestion\n") : -len("\n`````")] == code  # the suggestion is exact
    assert code_span("a`b") == "`` a`b ``"


def test_workflow_command_escaping_matches_the_toolkit() -> None:
    assert escape_data("50%\r\nnext") == "50%25%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    line = command("warning", "msg\n::error::injected", {"file": "we,ird:name.py", "line": 3})
    assert line == "::warning file=we%2Cird%3Aname.py,line=3::msg%0A::error::injected"
    assert "\n" not in line


def test_markers_are_read_from_the_first_line_only() -> None:
    fp = "0123456789abcdef0123456789abcdef"
    marker = parse_marker(finding_marker(fp) + "\ntext")
    assert marker is not None and marker.kind is MarkerKind.FINDING and marker.fingerprint == fp
    assert parse_marker("hello\n" + finding_marker(fp)) is None  # quoted code cannot pass for one
    assert parse_marker(finding_marker(fp) + " trailing") is None
    assert is_trusted_author("GitHub-Actions[bot]", ["github-actions[bot]"])
    assert not is_trusted_author("github-actions", ["github-actions[bot]"])


def test_hunks_from_githubs_patch_field() -> None:
    (first, second) = parse_hunks("@@ -1,3 +1,4 @@ def f():\n a\n+b\n c\n d\n@@ -10,2 +11,0 @@\n-x\n-y")
    assert (first.new_start, first.new_end, first.added) == (1, 4, frozenset({2}))
    assert first.covers(1, 4) and not first.covers(4, 5)
    assert second.new_end < second.new_start  # removals only: nothing to anchor on


def test_the_event_border_keeps_only_what_is_used(tmp_path: Path) -> None:
    event = load_event(DATA / "pull_request_synchronize.payload.json", "pull_request")
    assert isinstance(event, PullRequestEvent) and event.pull_request.number == 2
    broken = tmp_path / "e.json"
    broken.write_text(json.dumps({"pull_request": {"number": "x"}}))
    with pytest.raises(EventError, match="not a pull_request payload"):
        load_event(broken, "pull_request")
    with pytest.raises(EventError, match="not supported"):
        load_event(DATA / "pull_request_synchronize.payload.json", "push")


@pytest.mark.parametrize(
    "text",
    [
        "see https://evil.example/approve.py",
        "www.evil.example",
        "mail security@evil.example",
        "mailto:security@evil.example",
        "@octocat and @octo-org/admins",
        "#123, octo-org/hello#1 and GH-42",
        "![img](https://evil.example/x.png) [x](https://evil.example)",
        '<img src="x"> <script>alert(1)</script> <details open>',
        "# heading\n```\nfence\n```\n- [x] task\n| a | b |\n|---|---|",
    ],
)
def test_escaped_and_plain_text_render_with_nothing_live(text: str) -> None:
    from tests.hardening.gfm import live_parts, visible_text

    assert live_parts(escape(text)) == []
    assert live_parts(plain(text)) == []
    # Nothing was dropped: a reader still sees the words.
    assert "evil" in visible_text(escape(text)) or "evil" not in text


def test_escaping_redacts_before_it_changes_a_credentials_shape() -> None:
    # A thread verdict's reason, say, quoting a token: escaped, `ghp_` would become `ghp\\_`.
    token = "ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
    for out in (escape(f"reason: token {token}"), code_span(token), plain(redact_text(token))):
        assert "A1b2C3d4" not in out
