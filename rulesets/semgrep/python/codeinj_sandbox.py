# Test cases for codeinj_sandbox.yaml (semgrep --test annotations).
import ast
import types

BLOCKED_ATTRS = frozenset(["gi_frame", "f_back", "f_globals", "tb_frame", "cr_frame"])


def sandbox_getattr(obj, name, default=None):
    # ruleid: python.codeinj.sandbox-blocks-format-not-format-map
    if isinstance(obj, str) and name == "format":
        raise NotImplementedError("str.format is not allowed")
    return getattr(obj, name, default)


def inspect_call(fn):
    # ruleid: python.codeinj.sandbox-blocks-format-not-format-map
    if not isinstance(fn, types.BuiltinMethodType) or fn.__name__ != "format":
        return None
    return fn.__self__


class Checker(ast.NodeVisitor):
    def visit_Call(self, node):
        # ruleid: python.codeinj.sandbox-blocks-format-not-format-map
        if isinstance(node.func, ast.Attribute) and node.func.attr in ("format", "join"):
            raise SyntaxError("format is not allowed")
        self.generic_visit(node)


def checked_getattr(obj, attr):
    if attr.startswith("_"):
        raise AttributeError(attr)
    # ruleid: python.codeinj.sandbox-blocks-format-not-format-map
    if attr in {"format", "mro"}:
        raise AttributeError(attr)
    return getattr(obj, attr)


def guarded_getattr_fixed(obj, name, default=None):
    # ok: python.codeinj.sandbox-blocks-format-not-format-map
    if name in ("format", "format_map") and (isinstance(obj, str) or (isinstance(obj, type) and issubclass(obj, str))):
        raise NotImplementedError("str.format* is not allowed")
    return getattr(obj, name, default)


def inspect_call_fixed(fn):
    # ok: python.codeinj.sandbox-blocks-format-not-format-map
    if not isinstance(fn, types.BuiltinMethodType) or fn.__name__ not in ("format", "format_map"):
        return None
    return fn.__self__


def guarded_getattr_two_tests(obj, name):
    # ok: python.codeinj.sandbox-blocks-format-not-format-map
    if isinstance(obj, str) and name == "format":
        raise NotImplementedError
    if isinstance(obj, str) and name == "format_map":
        raise NotImplementedError
    return getattr(obj, name)


def render_option(options, key, value):
    # an output format option, not a method name: nothing here guards attributes
    # ok: python.codeinj.sandbox-blocks-format-not-format-map
    if key == "format":
        options["fmt"] = value
    return options


# ruleid: python.codeinj.sandbox-attribute-guard-underscore-only
def safe_getattr(obj, name, default=None):
    if name.startswith("_"):
        raise AttributeError(f"{name!r} is private")
    return getattr(obj, name, default)


class Restricter(ast.NodeTransformer):
    # ruleid: python.codeinj.sandbox-attribute-guard-underscore-only
    def visit_Attribute(self, node):
        if node.attr.startswith("_") and node.attr != "_":
            raise SyntaxError(f"{node.attr} starts with _")
        if node.attr.endswith("__roles__"):
            raise SyntaxError(f"{node.attr} ends with __roles__")
        return self.generic_visit(node)


class RestricterFixed(ast.NodeTransformer):
    # ok: python.codeinj.sandbox-attribute-guard-underscore-only
    def visit_Attribute(self, node):
        if node.attr.startswith("_"):
            raise SyntaxError(f"{node.attr} starts with _")
        if node.attr in BLOCKED_ATTRS:
            raise SyntaxError(f"{node.attr} is not allowed")
        return self.generic_visit(node)


# ok: python.codeinj.sandbox-attribute-guard-underscore-only
def safe_getattr_fixed(obj, name, default=None):
    if name.startswith("_") or name in BLOCKED_ATTRS:
        raise AttributeError(name)
    return getattr(obj, name, default)


class Proxy:
    def __init__(self, wrapped):
        self._wrapped = wrapped

    # a proxy's own attribute lookup forwards to the wrapped object: no sandbox
    # ok: python.codeinj.sandbox-attribute-guard-underscore-only
    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._wrapped, name)


# ok: python.codeinj.sandbox-attribute-guard-underscore-only
def public_fields(obj):
    return {k: getattr(obj, k) for k in dir(obj) if not k.startswith("_")}
