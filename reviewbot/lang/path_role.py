"""The role of a file from its repo-relative path alone (test, example, migration, vendored,
generated, source), and why a path the change adds has none.
"""

from __future__ import annotations

import re

from reviewbot.lang.facts import PathRole

_VENDORED_DIRS = frozenset(
    {"vendor", "vendored", "_vendor", "third_party", "thirdparty", "third-party", "site-packages", "node_modules"}
)
_GENERATED_DIRS = frozenset({"generated", "_generated", "__generated__", "autogen"})
_GENERATED_FILE = re.compile(r"(_pb2|_pb2_grpc|_generated|\.generated)\.pyi?$")
_MIGRATION_DIRS = frozenset({"migrations", "alembic"})
_TEST_DIRS = frozenset({"test", "tests", "testing", "__tests__", "spec", "specs", "testdata", "test_data", "fixtures"})
_TEST_FILE = re.compile(r"^(test_.*|.*_tests?|tests?|conftest)\.pyi?$")
_EXAMPLE_DIRS = frozenset(
    {"example", "examples", "sample", "samples", "demo", "demos", "doc", "docs", "docs_src", "tutorial", "tutorials"}
)


def path_role(path: str, on_base: bool) -> PathRole:
    """The file's role from its repo-relative path; UNKNOWN for a path the change adds.

    A pull request can name a new file `tests/...` to have its findings discounted, so only a
    path that already exists on the base version is trusted to say what it is.
    """
    if not on_base:
        return PathRole.UNKNOWN
    parts = [p.lower() for p in path.replace("\\", "/").split("/") if p not in ("", ".")]
    if not parts:
        return PathRole.UNKNOWN
    dirs, name = set(parts[:-1]), parts[-1]
    if dirs & _VENDORED_DIRS:
        return PathRole.VENDORED
    if dirs & _GENERATED_DIRS or _GENERATED_FILE.search(name):
        return PathRole.GENERATED
    if dirs & _MIGRATION_DIRS:
        return PathRole.MIGRATION
    if dirs & _TEST_DIRS or _TEST_FILE.match(name):
        return PathRole.TEST
    if dirs & _EXAMPLE_DIRS:
        return PathRole.EXAMPLE
    return PathRole.SOURCE
