"""`pam-without-account-check` (CWE-285): a module that calls libpam's `pam_authenticate` and
never `pam_acct_mgmt`.

`pam_authenticate` only says the password is right. Whether the account may log in now (expired,
locked, disabled, outside its hours, `pam_access` rules) is what `pam_acct_mgmt` answers, so a
login that stops at the first call lets in accounts the administrator has shut
(GHSA-mcg6-h362-cmq5, Cobbler). Bindings through ctypes or cffi name the C functions, so the
names are the evidence; the check looks at the whole module because the two calls are usually
bound at module level and called from one function.
"""

from __future__ import annotations

from collections.abc import Iterator

from reviewbot.scanners.ts_checks.check import Check
from reviewbot.scanners.ts_file import FileContext, Hit

# every use of the name: `LIBPAM.pam_authenticate`, `pam_authenticate(handle, 0)`, `getattr`-free
_QUERY = '((identifier) @name (#eq? @name "pam_authenticate"))'


def _check_pam(ctx: FileContext) -> Iterator[Hit]:
    if b"pam_authenticate" not in ctx.source or b"pam_acct_mgmt" in ctx.source:
        return
    for captures in CHECK.matches(ctx):
        node = captures["name"][0]
        yield Hit(node.start_byte, node.end_byte)


CHECK = Check(
    "pam-without-account-check",
    needs_tree=True,
    languages=frozenset({"python"}),
    run=_check_pam,
    queries={"python": _QUERY},
)
