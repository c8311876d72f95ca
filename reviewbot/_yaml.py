"""Parsing the YAML and JSON files people write (config, suppressions, rules, reports, ledgers).

Every loader of such a file goes through `load_yaml` or `load_json`, so that whatever the bytes
are, the outcome is either a value or the caller's error class with a message naming the file:
never a stray `ValueError` that ends a run as an "internal error". That matters most on the PR
path, where a pull request that adds a malformed file must not be able to switch the bot off.

What the YAML reader refuses or changes, and why:
- no timestamps: `2026-02-30` stays the string the user wrote (PyYAML would raise while building
  a `date`); schemas that want a date validate it and name the key (suppression_file._as_date);
- nesting deeper than MAX_DEPTH, and aliases that expand to far more values than the file holds
  (a "billion laughs" file is tiny but would make every later walk exponential), or that refer
  to themselves;
- duplicate keys (PyYAML keeps the last one silently) and keys that are not strings (`yes:`,
  `1:`, `[a]:`): every schema here is keyed by names;
- anything larger than the caller's byte limit, invalid UTF-8 (a UTF-8 BOM is allowed).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

MAX_FILE_BYTES = 256 * 1024  # a hand-written settings file; anything larger is a mistake or an attack
RULE_FILE_MAX_BYTES = 4 * 1024 * 1024  # rule files are larger than settings, still written by hand
MAX_DEPTH = 64  # far beyond any real settings or rule file; keeps every recursive walk shallow
# Aliases may repeat values, but only so much: a bound linear in the file's own size.
ALIAS_SLACK = 10_000
ALIAS_FACTOR = 4

ErrorFactory = Callable[[str], Exception]

_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _Refused(Exception):
    """Raised inside the loader; turned into the caller's error with the file's name."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


class _Loader(yaml.SafeLoader):
    """SafeLoader without timestamps and with a bound on nesting while composing."""

    yaml_implicit_resolvers = {  # noqa: RUF012 - PyYAML's own class-level table, copied without timestamps
        first: [(tag, rx) for tag, rx in resolvers if tag != _TIMESTAMP]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        # Bounded here rather than by catching RecursionError: the composer recurses per level.
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise _Refused(f"nested more than {MAX_DEPTH} levels deep", mark.line + 1)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))  # an explicit `!!timestamp` stays text too


_Loader.add_constructor(_TIMESTAMP, _timestamp_as_text)


@dataclass(frozen=True)
class YamlDoc:
    value: Any
    root: Any  # the composed yaml node, for `line_of`

    def line_of(self, loc: Sequence[str | int]) -> int | None:
        """The 1-based line of the value at `loc` (keys and list indexes), or its nearest parent."""
        node, line = self.root, None
        for part in loc:
            if node is None:
                break
            line = node.start_mark.line + 1
            if isinstance(node, yaml.MappingNode):
                hit = next(((k, v) for k, v in node.value if k.value == part), None)
                if hit is None:
                    break
                line, node = hit[0].start_mark.line + 1, hit[1]
                continue
            if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
                line = node.start_mark.line + 1
                continue
            break
        return line


def load_yaml(
    data: bytes, label: str, *, error: ErrorFactory | None = None, max_bytes: int = MAX_FILE_BYTES
) -> YamlDoc:
    """Parse one YAML document; `error(message)` (a ConfigError by default) naming `label` otherwise."""
    make = error or _config_error
    if len(data) > max_bytes:
        raise make(f"{label}: larger than {max_bytes} bytes; is this the right file?")
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise make(f"{label}: not UTF-8 (byte {exc.start + 1})") from None
    try:
        return _parse(text)
    except _Refused as exc:
        where = f"line {exc.line}: " if exc.line is not None else ""
        raise make(f"{label}: {where}{exc}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        raise make(f"{label}: not valid YAML{where}: {exc.problem}") from None
    except yaml.reader.ReaderError as exc:
        char = exc.character
        shown = f"U+{char:04X}" if isinstance(char, int) else repr(char)
        raise make(f"{label}: not valid YAML: character {shown} is not allowed (offset {exc.position})") from None
    except yaml.YAMLError as exc:
        raise make(f"{label}: not valid YAML: {exc}") from None
    except RecursionError:
        raise make(f"{label}: nested too deeply") from None
    except Exception as exc:  # noqa: BLE001 - any other failure while building values is the file's fault
        raise make(f"{label}: not readable YAML: {type(exc).__name__}: {exc}") from None


def _parse(text: str) -> YamlDoc:
    loader = _Loader(text)  # the reader checks every character here (a NUL is a ReaderError)
    try:
        root = loader.get_single_node()
        if root is None:
            return YamlDoc(None, None)
        _check_graph(root)
        return YamlDoc(loader.construct_document(root), root)
    finally:
        loader.dispose()


def _check_graph(root: Any) -> None:
    """Duplicate or non-string keys, self-referring aliases, and alias expansion, in one walk.

    Iterative post-order over the node graph: `expanded[id]` is how many values the node stands
    for once every alias is written out, computed once per distinct node.
    """
    expanded: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            expanded[key] = 1 + sum(expanded[id(c)] for c in _children(node))
            continue
        if key in expanded:
            continue
        if key in on_path:
            raise _Refused("an alias refers to a value that contains it", node.start_mark.line + 1)
        on_path.add(key)
        if isinstance(node, yaml.MappingNode):
            _check_keys(node)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in on_path:
                raise _Refused("an alias refers to a value that contains it", child.start_mark.line + 1)
            if id(child) not in expanded:
                stack.append((child, False))
    limit = ALIAS_SLACK + ALIAS_FACTOR * len(expanded)
    if expanded[id(root)] > limit:
        raise _Refused(f"aliases expand to more than {limit} values (an alias bomb?)")


def _children(node: Any) -> list[Any]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_keys(node: yaml.MappingNode) -> None:
    seen: dict[str, int] = {}
    for k, _ in node.value:
        line = k.start_mark.line + 1
        if isinstance(k, yaml.ScalarNode) and k.tag == _MERGE:
            continue
        if not isinstance(k, yaml.ScalarNode) or k.tag != _STR:
            shown = k.value if isinstance(k, yaml.ScalarNode) else "a list or mapping"
            raise _Refused(f"key {shown!r} is not a string (quote it, or use a name)", line)
        if k.value in seen:
            raise _Refused(f"key {k.value!r} appears twice in one mapping (first on line {seen[k.value]})", line)
        seen[k.value] = line


def load_json(data: bytes | str, label: str, *, error: ErrorFactory | None = None, max_bytes: int | None = None) -> Any:
    """Parse JSON; `error(message)` (a ConfigError by default) naming `label` for any failure."""
    make = error or _config_error
    if max_bytes is not None and len(data) > max_bytes:
        raise make(f"{label}: larger than {max_bytes} bytes; is this the right file?")
    try:
        return json.loads(data)
    except json.JSONDecodeError as exc:
        raise make(f"{label}: not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}") from None
    except UnicodeDecodeError as exc:
        raise make(f"{label}: not UTF-8 (byte {exc.start + 1})") from None
    except RecursionError:
        raise make(f"{label}: not JSON reviewbot reads: nested too deeply") from None
    except (ValueError, TypeError) as exc:
        raise make(f"{label}: not valid JSON: {exc}") from None


def _config_error(message: str) -> Exception:
    from reviewbot.errors import ConfigError

    return ConfigError(message)
