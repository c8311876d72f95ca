"""A LightGBM text model evaluated in plain Python: raw scores and `pred_contrib` contributions.

Importing lightgbm (with numpy and scipy) costs ~0.25 s, more than the whole pre-commit scan of
a small change, so scoring reads `model.txt` itself. The format is LightGBM's documented text
format (`Booster.save_model`); this module supports what reviewbot's training writes: a binary
objective, numerical splits (any missing-value type), no categorical splits, no linear trees.
Anything else is refused at parse time, never guessed.

Contributions follow LightGBM's `pred_contrib` exactly: path-dependent TreeSHAP over the trees'
data counts (a port of `Tree::TreeSHAP` in LightGBM's tree.cpp), plus the expected value as the
last element. Per tree the result depends only on which way each split goes, so it is memoised
on that; tests/test_scoring.py proves equality with `Booster.predict` on trained models.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

_ZERO = 1e-35  # LightGBM's kZeroThreshold
_CATEGORICAL, _DEFAULT_LEFT = 1, 2
_MISSING_NONE, _MISSING_ZERO, _MISSING_NAN = 0, 1, 2


class ModelFormatError(ValueError):
    """model.txt is not a LightGBM text model this module can evaluate."""


@dataclass
class Tree:
    split_feature: list[int]
    threshold: list[float]
    decision_type: list[int]
    left: list[int]
    right: list[int]
    leaf_value: list[float]
    leaf_count: list[float]
    internal_count: list[float]
    expected: float = 0.0
    memo: dict[tuple[bool, ...], tuple[float, tuple[tuple[int, float], ...]]] = field(default_factory=dict)

    def goes_left(self, node: int, x: Sequence[float]) -> bool:
        value = x[self.split_feature[node]]
        kind = self.decision_type[node]
        missing = (kind >> 2) & 3
        if math.isnan(value) and missing != _MISSING_NAN:
            value = 0.0
        if (missing == _MISSING_ZERO and -_ZERO <= value <= _ZERO) or (missing == _MISSING_NAN and math.isnan(value)):
            return bool(kind & _DEFAULT_LEFT)
        return value <= self.threshold[node]

    def evaluate(self, x: Sequence[float]) -> tuple[float, tuple[tuple[int, float], ...]]:
        """(leaf value, contributions as (feature, value) pairs) for one row."""
        if not self.left:
            return self.leaf_value[0], ()
        key = tuple(self.goes_left(n, x) for n in range(len(self.left)))
        hit = self.memo.get(key)
        if hit is None:
            node = 0
            while node >= 0:
                node = self.left[node] if key[node] else self.right[node]
            phi: dict[int, float] = {}
            _tree_shap(self, key, phi, 0, [], 1.0, 1.0, -1)
            hit = (self.leaf_value[~node], tuple((f, v) for f, v in phi.items() if v != 0.0))
            if len(self.memo) < 4096:
                self.memo[key] = hit
        return hit

    def count(self, node: int) -> float:
        return self.internal_count[node] if node >= 0 else self.leaf_count[~node]


@dataclass
class TextModel:
    feature_names: list[str]
    trees: list[Tree]
    sigmoid: float
    monotone: list[int]

    @classmethod
    def parse(cls, text: str) -> TextModel:
        if not text.startswith("tree\n"):
            raise ModelFormatError("not a LightGBM text model (it must start with 'tree')")
        head, _, rest = text.partition("\nTree=")
        header = _fields(head)
        if header.get("version") != "v4":
            raise ModelFormatError(f"unsupported LightGBM model version {header.get('version')!r} (expected v4)")
        if header.get("num_class", "1") != "1" or header.get("num_tree_per_iteration", "1") != "1":
            raise ModelFormatError("only single-output (binary) models are supported")
        objective = header.get("objective", "").split()
        if not objective or objective[0] != "binary":
            raise ModelFormatError(f"objective {header.get('objective')!r}: only 'binary' is supported")
        sigmoid = next((float(o.split(":")[1]) for o in objective[1:] if o.startswith("sigmoid:")), 1.0)
        if "average_output" in header:
            raise ModelFormatError("random-forest (average_output) models are not supported")
        names = header.get("feature_names", "").split()
        mono = [int(m) for m in header.get("monotone_constraints", "").split()] or [0] * len(names)
        body = rest.split("end of trees", 1)[0]
        trees = [_parse_tree(block, len(names)) for block in ("Tree=" + body).split("\nTree=") if block.strip()]
        if not trees:
            raise ModelFormatError("the model has no trees")
        return cls(names, trees, sigmoid, mono)

    def raw(self, x: Sequence[float]) -> float:
        return math.fsum(t.evaluate(x)[0] for t in self.trees)

    def predict(self, x: Sequence[float]) -> tuple[float, list[float]]:
        """(raw score, contributions: one per feature, then the expected value), as pred_contrib."""
        phi = [0.0] * (len(self.feature_names) + 1)
        raw = 0.0
        for t in self.trees:
            leaf, parts = t.evaluate(x)
            raw += leaf
            for f, v in parts:
                phi[f] += v
            phi[-1] += t.expected
        return raw, phi


def _fields(block: str) -> dict[str, str]:
    out = {}
    for line in block.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            out[key.strip()] = value.strip()
    return out


def _parse_tree(block: str, n_features: int) -> Tree:
    f = _fields(block)
    try:
        leaves = int(f["num_leaves"])
        if int(f.get("num_cat", "0")) != 0:
            raise ModelFormatError("categorical splits are not supported")
        if f.get("is_linear", "0") != "0":
            raise ModelFormatError("linear trees are not supported")
        leaf_value = [float(v) for v in f["leaf_value"].split()]
        if leaves == 1:
            return Tree([], [], [], [], [], leaf_value, [1.0], [1.0], expected=leaf_value[0])

        def ints(key: str) -> list[int]:
            return [int(v) for v in f[key].split()]

        def floats(key: str) -> list[float]:
            return [float(v) for v in f[key].split()]

        tree = Tree(
            ints("split_feature"),
            floats("threshold"),
            ints("decision_type"),
            ints("left_child"),
            ints("right_child"),
            leaf_value,
            floats("leaf_count"),
            floats("internal_count"),
        )
    except (KeyError, ValueError) as exc:
        raise ModelFormatError(f"malformed tree: {exc}") from exc
    if any(d & _CATEGORICAL for d in tree.decision_type):
        raise ModelFormatError("categorical splits are not supported")
    if len(tree.leaf_value) != leaves or len(tree.left) != leaves - 1 or len(tree.right) != leaves - 1:
        raise ModelFormatError("tree arrays do not match num_leaves")
    if any(not 0 <= s < n_features for s in tree.split_feature):
        raise ModelFormatError("a split refers to a feature the model does not name")
    total = tree.internal_count[0]
    tree.expected = sum(c / total * v for c, v in zip(tree.leaf_count, tree.leaf_value, strict=True))
    return tree


# --- TreeSHAP, as LightGBM's Tree::TreeSHAP (path-dependent, covers from data counts) -------------

_Path = list[list[float]]  # [feature, zero_fraction, one_fraction, pweight]


def _extend(path: _Path, zero: float, one: float, feature: int) -> None:
    depth = len(path)
    path.append([feature, zero, one, 1.0 if depth == 0 else 0.0])
    for i in range(depth - 1, -1, -1):
        path[i + 1][3] += one * path[i][3] * (i + 1) / (depth + 1)
        path[i][3] = zero * path[i][3] * (depth - i) / (depth + 1)


def _unwind(path: _Path, index: int) -> None:
    depth = len(path) - 1
    one, zero = path[index][2], path[index][1]
    next_one = path[depth][3]
    for i in range(depth - 1, -1, -1):
        if one != 0:
            tmp = path[i][3]
            path[i][3] = next_one * (depth + 1) / ((i + 1) * one)
            next_one = tmp - path[i][3] * zero * (depth - i) / (depth + 1)
        else:
            path[i][3] = path[i][3] * (depth + 1) / (zero * (depth - i))
    for i in range(index, depth):
        path[i][0], path[i][1], path[i][2] = path[i + 1][0], path[i + 1][1], path[i + 1][2]
    path.pop()


def _unwound_sum(path: _Path, index: int) -> float:
    depth = len(path) - 1
    one, zero = path[index][2], path[index][1]
    next_one = path[depth][3]
    total = 0.0
    for i in range(depth - 1, -1, -1):
        if one != 0:
            tmp = next_one * (depth + 1) / ((i + 1) * one)
            total += tmp
            next_one = path[i][3] - tmp * zero * ((depth - i) / (depth + 1))
        elif zero != 0:
            total += (path[i][3] / zero) / ((depth - i) / (depth + 1))
    return total


def _tree_shap(
    tree: Tree,
    left: tuple[bool, ...],
    phi: dict[int, float],
    node: int,
    parent: _Path,
    zero: float,
    one: float,
    feature: int,
) -> None:
    path = [list(e) for e in parent]
    _extend(path, zero, one, feature)
    if node < 0:
        value = tree.leaf_value[~node]
        for i in range(1, len(path)):
            w = _unwound_sum(path, i)
            f = int(path[i][0])
            phi[f] = phi.get(f, 0.0) + w * (path[i][2] - path[i][1]) * value
        return
    split = tree.split_feature[node]
    hot, cold = (tree.left[node], tree.right[node]) if left[node] else (tree.right[node], tree.left[node])
    w = tree.count(node)
    incoming_zero = incoming_one = 1.0
    index = next((i for i, e in enumerate(path) if int(e[0]) == split), -1)
    if index >= 0:
        incoming_zero, incoming_one = path[index][1], path[index][2]
        _unwind(path, index)
    _tree_shap(tree, left, phi, hot, path, tree.count(hot) / w * incoming_zero, incoming_one, split)
    _tree_shap(tree, left, phi, cold, path, tree.count(cold) / w * incoming_zero, 0.0, split)
