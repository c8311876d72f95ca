"""Secrets in findings are shown by their first characters only."""

from __future__ import annotations

import pytest

from reviewbot.redact import redact_secrets


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ('PASSWORD = "hunter2-but-longer"', "hunter2-but-longer"),
        ("api_key='sk_live_4eC39HqLyjWDarjtT1zdp7dc'", "4eC39HqLyjWDarjtT1zdp7dc"),
        ('connect(token="""multi\nline""")', "multi\nline"),
        ("key = AKIAIOSFODNN7EXAMPLE  # unquoted in a comment", "IOSFODNN7EXAMPLE"),
        ('s = "escaped \\" quote inside secret"', "quote inside secret"),
    ],
)
def test_secret_never_appears_in_full(text: str, secret: str) -> None:
    out = redact_secrets(text)
    assert secret not in out
    assert "*" in out


def test_short_strings_and_code_stay_readable() -> None:
    assert redact_secrets('x = "abc"; login(user, pw)') == 'x = "abc"; login(user, pw)'
    assert redact_secrets('PASSWORD = "hunter2-long"') == 'PASSWORD = "hu********"'
