"""Secrets in findings are shown by their first characters only."""

from __future__ import annotations

import pytest

from reviewbot.finding import Confidence, Finding, Scanner, Severity
from reviewbot.redact import redact_finding, redact_secrets, redact_text


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


# Credential shapes found on any rule's line: (id, text, the secret in it).
SHAPES = [
    (
        "github-ghp",
        '"Authorization": "token ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"',
        "ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8",
    ),
    ("github-gho", "t = gho_16C7e42F292c6912E7710c838347Ae178B4a", "gho_16C7e42F292c6912E7710c838347Ae178B4a"),
    ("github-ghs", "GH=ghs_Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8", "ghs_Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8"),
    (
        "github-pat",
        "use github_pat_11ABCDEFG0abcdefghijkl_mnopqrstuvwxyzABCDEFGHIJ0123456789",
        "github_pat_11ABCDEFG0abcdefghijkl_mnopqrstuvwxyzABCDEFGHIJ0123456789",
    ),
    ("aws-key-id", "boto3.client(aws_access_key_id=AKIAIOSFODNN7EXAMPLE)", "AKIAIOSFODNN7EXAMPLE"),
    (
        "aws-secret",
        'aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"',
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ),
    (
        "slack",
        "post(token=xoxb-123456789012-123456789012-AbCdEfGhIjKlMnOp)",
        "xoxb-123456789012-123456789012-AbCdEfGhIjKlMnOp",
    ),
    (
        "private-key",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7bq98xQ\nk3Lw9PqZ\n-----END RSA PRIVATE KEY-----",
        "MIIEowIBAAKCAQEA7bq98xQ",
    ),
    (
        "jwt",
        "session=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        "eyJzdWIiOiIxMjM0NTY3ODkwIn0",
    ),
    ("password-literal", 'login(user, password="Sup3r-S3cret-Passw0rd")', "Sup3r-S3cret-Passw0rd"),
    ("secret-literal", "{'client_secret': 'cs-9f8e7d6c5b4a39281706'}", "cs-9f8e7d6c5b4a39281706"),
    ("url-userinfo", "postgres://admin:Hunter2Hunter2@db.internal/app", "Hunter2Hunter2"),
    ("bearer", "Authorization: Bearer sk-abcDEF1234567890ghiJKL", "sk-abcDEF1234567890ghiJKL"),
    ("basic", '{"Authorization": "Basic YWRtaW46c3VwZXJzZWNyZXQxMjM="}', "YWRtaW46c3VwZXJzZWNyZXQxMjM="),
]


@pytest.mark.parametrize(("text", "secret"), [s[1:] for s in SHAPES], ids=[s[0] for s in SHAPES])
def test_credential_shapes_are_masked_in_any_text(text: str, secret: str) -> None:
    out = redact_text(text)
    assert secret[2:] not in out and secret not in out
    # The mask keeps the length and the line breaks: columns and line numbers stay true.
    assert len(out) == len(text) and out.count("\n") == text.count("\n")
    assert redact_text(out) == out  # a second pass changes nothing


@pytest.mark.parametrize(
    "code",
    [
        'requests.get("https://example.com/api/v1", verify=False)',
        "login(user=user, password=password)",
        'TOKEN_URL = "https://auth.example/token"',
        'password_hash = "pbkdf2_sha256"',
        "subprocess.call('ls ' + name, shell=True)",
        "the token expiration is checked",
        'authorization = request.headers.get("Authorization")',
        'headers = {"Authorization": f"Bearer {token}"}',
        "if password == '':",
    ],
)
def test_ordinary_code_is_left_as_written(code: str) -> None:
    assert redact_text(code) == code


def test_a_finding_is_redacted_but_keeps_its_identity() -> None:
    line = (
        'requests.get("https://x", headers={"Authorization": "token ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"}, '
        "verify=False)"
    )
    finding = Finding(
        rule_id="test.tls.verify-disabled",
        scanner=Scanner.SEMGREP,
        path="app.py",
        start_line=3,
        start_col=5,
        end_line=3,
        end_col=len(line) + 5,
        message=f"TLS verification is off in {line}",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        category="tls",
        snippet="    " + line,
        fix="    " + line.replace("verify=False", "verify=True"),
        fingerprint="0123456789abcdef0123456789abcdef",
        metadata={"quoted": line},
    )
    out = redact_finding(finding)
    assert "A1b2C3d4" not in out.model_dump_json()
    assert out.fix_redacted and out.fix is not None and "verify=True" in out.fix
    assert (out.fingerprint, out.path, out.rule_id) == (finding.fingerprint, finding.path, finding.rule_id)
    assert len(out.snippet) == len(finding.snippet)
    clean = finding.model_copy(update={"snippet": "x = 1", "fix": None, "message": "m", "metadata": {}})
    assert redact_finding(clean) is clean


def test_a_long_minified_line_is_redacted_in_linear_time() -> None:
    # A key is matched once per run of name characters and never backtracked into: before, each
    # `.`/`-` in a run restarted the search for a credential word (20 kB took ~40 s).
    import time

    line = "a.b-" * 5_000 + 'password="hunter2-long"'
    started = time.process_time()
    out = redact_text(line)
    assert time.process_time() - started < 3
    assert "hunter2" not in out


def test_the_quick_check_lets_no_shape_through_unmasked() -> None:
    """redact_text skips the shapes when `_MAY_HOLD_A_SECRET` finds nothing: every text a shape
    would change must be seen by it, the secret-everywhere shapes included."""
    from reviewbot import redact

    def shapes_alone(text: str) -> str:
        for pattern in redact._SHAPES:
            text = pattern.sub(redact._masked_group, text)
        return text

    texts = [s[1] for s in SHAPES] + [s[1].lower() for s in SHAPES] + [s[1].upper() for s in SHAPES]
    for text in texts:
        if shapes_alone(text) != text:
            assert redact._MAY_HOLD_A_SECRET.search(text), text
    # Every credential word of the key patterns is one the quick check knows.
    for word in (
        "password",
        "passwd",
        "passphrase",
        "pwd",
        "secret",
        "token",
        "apikey",
        "api-key",
        "access_key",
        "private_key",
        "credential",
    ):
        assert redact._MAY_HOLD_A_SECRET.search(f"{word}=x"), word
