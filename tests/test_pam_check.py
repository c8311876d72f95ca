"""`pam-without-account-check` looks at the whole module: what the annotated rule test file cannot
show is that binding `pam_acct_mgmt` anywhere in the module clears every `pam_authenticate`.
"""

from __future__ import annotations

from pathlib import Path

from reviewbot.scanners.treesitter import TreeSitterScanner, builtin_rules_dir

RULE = "python.authn.pam-without-account-check"

BINDINGS = """from ctypes import CDLL
LIBPAM = CDLL("libpam.so.0")
PAM_AUTHENTICATE = LIBPAM.pam_authenticate


def login(handle):
    retval = PAM_AUTHENTICATE(handle, 0)
"""


def _lines(tmp_path: Path, source: str) -> list[int]:
    (tmp_path / "pam_auth.py").write_text(source, encoding="utf-8")
    out = TreeSitterScanner(builtin_rules_dir()).scan(tmp_path, ["pam_auth.py"])
    assert not out.warnings, out.warnings
    return [m.start_line for m in out.matches if m.rule_id == RULE]


def test_authenticate_alone_is_reported_where_it_is_named(tmp_path: Path) -> None:
    assert _lines(tmp_path, BINDINGS + "    return retval == 0\n") == [3]


def test_an_account_check_anywhere_in_the_module_clears_it(tmp_path: Path) -> None:
    fixed = BINDINGS + (
        "    if retval == 0:\n"
        "        retval = PAM_ACCT_MGMT(handle, 0)\n"
        "    return retval == 0\n\n\n"
        "PAM_ACCT_MGMT = LIBPAM.pam_acct_mgmt\n"
    )
    assert _lines(tmp_path, fixed) == []
