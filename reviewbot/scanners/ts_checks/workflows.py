"""`workflow-script-injection`: GitHub Actions expressions expanded into scripts. A `${{ ... }}`
naming an attacker-controlled context (`github.event.issue.title`, `github.head_ref`, ...) inside
a `run:` script, or the `script:` of an actions/github-script step, is reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from reviewbot.scanners.ts_checks.check import Check
from reviewbot.scanners.ts_file import FileContext, Hit

if TYPE_CHECKING:
    from tree_sitter import Node

_WORKFLOW_PAIRS = """
(block_mapping_pair key: (flow_node) @key value: (_) @value)
(flow_pair key: (flow_node) @key value: (_) @value)
"""
_EXPRESSION = re.compile(rb"\$\{\{(.*?)\}\}")
_INDEX = re.compile(r"""\[\s*['"]([\w-]+)['"]\s*\]|\[\s*(?:\d+|\*)\s*\]""")
_CONTEXT = re.compile(r"\bgithub\.(head_ref|event(?:\.[\w*-]+)*)")
# GitHub's list of event fields a pull request's, issue's or comment's author controls: any
# context ending in one of these names ("Understanding the risk of script injections").
_TAINTED_LEAVES = frozenset(
    {"body", "default_branch", "email", "head_ref", "label", "message", "name", "page_name", "ref", "title"}
)


_SCALARS = frozenset({"plain_scalar", "double_quote_scalar", "single_quote_scalar", "block_scalar"})


def _scalar_text(ctx: FileContext, node: Node) -> str:
    return ctx.text(node).strip().strip("'\"")


def _tainted_context(expression: str) -> str | None:
    normal = _INDEX.sub(lambda m: "." + (m.group(1) or "*"), expression)
    normal = re.sub(r"\s*\.\s*", ".", normal)
    for m in _CONTEXT.finditer(normal):
        path = m.group(1)
        parts = path.split(".")
        if path == "head_ref" or parts == ["event"] or parts[-1] in _TAINTED_LEAVES:
            return "github." + path
    return None


def _github_script_step(pair: Node, ctx: FileContext) -> bool:
    """Whether a `script:` pair is an input of an actions/github-script step."""
    node: Node | None = pair
    for _ in range(3):  # script pair -> with: mapping -> block_node -> with: pair
        node = node.parent if node is not None else None
    if node is None or node.type != "block_mapping_pair":
        return False
    key = node.child_by_field_name("key")
    step = node.parent
    if key is None or _scalar_text(ctx, key) != "with" or step is None:
        return False
    for sibling in step.named_children:
        if sibling.type != "block_mapping_pair":
            continue
        skey, svalue = sibling.child_by_field_name("key"), sibling.child_by_field_name("value")
        if skey is not None and svalue is not None and _scalar_text(ctx, skey) == "uses":
            return _scalar_text(ctx, svalue).startswith("actions/github-script@")
    return False


def _check_workflow_injection(ctx: FileContext) -> Iterator[Hit]:
    for captures in CHECK.matches(ctx):
        key, value = captures["key"][0], captures["value"][0]
        name = _scalar_text(ctx, key)
        if name == "run":
            where = "`run:` script"
        elif name == "script" and _github_script_step(key.parent or key, ctx):
            where = "actions/github-script `script:`"
        else:
            continue
        if not any(c.type in _SCALARS for c in value.named_children):
            continue  # a mapping or list, not a script
        for m in _EXPRESSION.finditer(ctx.source, value.start_byte, value.end_byte):
            context = _tainted_context(m.group(1).decode("utf-8", "replace"))
            if context is not None:
                detail = f"`{context}` is attacker-controlled and is expanded into this {where}."
                yield Hit(m.start(), m.end(), detail)


CHECK = Check(
    "workflow-script-injection",
    needs_tree=True,
    languages=frozenset({"github-workflow"}),
    run=_check_workflow_injection,
    queries={"github-workflow": _WORKFLOW_PAIRS},
)
