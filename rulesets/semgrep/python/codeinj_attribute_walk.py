# Test cases for codeinj_attribute_walk.yaml (semgrep --test annotations).
import functools
import importlib
from functools import reduce

ALLOWED = frozenset(["title", "author", "items"])


def resolve(context, expression):
    obj = context
    # ruleid: python.codeinj.attribute-path-walk-without-name-check
    for name in expression.split("/"):
        obj = getattr(obj, name)
    return obj


def set_path(target, dotted, value):
    parts = dotted.split(".")
    # ruleid: python.codeinj.attribute-path-walk-without-name-check
    for part in parts[:-1]:
        target = getattr(target, part, None)
    setattr(target, parts[-1], value)


def traverse(base, path_items, request):
    path_items = list(path_items)
    path_items.reverse()
    # ruleid: python.codeinj.attribute-path-walk-without-name-check
    while path_items:
        name = path_items.pop()
        if hasattr(base, "traverse_step"):
            base = base.traverse_step(name)
        else:
            base = traverse_element(base, name, path_items, request=request)
    return base


def lookup(obj, dotted):
    # ruleid: python.codeinj.attribute-path-walk-without-name-check
    return functools.reduce(getattr, dotted.split("."), obj)


def assign(obj, dotted, value):
    *parents, last = dotted.split(".")
    # ruleid: python.codeinj.attribute-path-walk-without-name-check
    setattr(reduce(getattr, parents, obj), last, value)


def lookup_checked(obj, dotted):
    names = dotted.split(".")
    if any(n.startswith("_") for n in names):
        raise LookupError(dotted)
    # ok: python.codeinj.attribute-path-walk-without-name-check
    return reduce(getattr, names, obj)


def resolve_checked(context, expression):
    obj = context
    # ok: python.codeinj.attribute-path-walk-without-name-check
    for name in expression.split("/"):
        if name.startswith("_"):
            raise LookupError(name)
        obj = getattr(obj, name)
    return obj


def resolve_allowed(context, expression):
    obj = context
    # ok: python.codeinj.attribute-path-walk-without-name-check
    for name in expression.split("."):
        if name not in ALLOWED:
            raise LookupError(name)
        obj = getattr(obj, name)
    return obj


def traverse_checked(base, path_items, request):
    path_items = list(path_items)
    path_items.reverse()
    # ok: python.codeinj.attribute-path-walk-without-name-check
    while path_items:
        name = path_items.pop()
        if name.startswith("_"):
            raise LookupError(name)
        base = traverse_element(base, name, path_items, request=request)
    return base


def resolve_prechecked(context, expression):
    parts = expression.split("/")
    if any(p.startswith("_") for p in parts):
        raise LookupError(expression)
    obj = context
    # ok: python.codeinj.attribute-path-walk-without-name-check
    for name in parts:
        obj = getattr(obj, name)
    return obj


def import_string(dotted):
    # resolving an import path: the walk starts at a module imported by name
    module = __import__(dotted)
    # ok: python.codeinj.attribute-path-walk-without-name-check
    for token in dotted.split(".")[1:]:
        module = getattr(module, token)
    return module


def guarded_module(builtins, dotted):
    module = builtins["__import__"](dotted)
    # ok: python.codeinj.attribute-path-walk-without-name-check
    for token in dotted.split(".")[1:]:
        module = getattr(module, token)
    return module


def load_object(dotted):
    module_name, _, rest = dotted.partition(":")
    obj = importlib.import_module(module_name)
    # ok: python.codeinj.attribute-path-walk-without-name-check
    for token in rest.split("."):
        obj = getattr(obj, token)
    return obj


def trusted_traverse(base, path_items):
    # a walk that says it is unrestricted by design (trusted code's paths)
    # ok: python.codeinj.attribute-path-walk-without-name-check
    for name in path_items:
        base = getattr(base, name)
    return base


def restricted(base, path_items):
    # ok: python.codeinj.attribute-path-walk-without-name-check
    for name in path_items:
        base = base.restrictedTraverse(name)
    return base


def traverse_element(base, name, path_items, request=None):
    return base[name]


def lookup_value(instance, field_name):
    # Django-style lookups: the pieces of a split on "__" hold no dunder name
    path = field_name.split("__")
    value = instance
    # ok: python.codeinj.attribute-path-walk-without-name-check
    for part in path:
        value = getattr(value, part, None)
    return value


def lookup_inline(instance, field_name):
    value = instance
    # ok: python.codeinj.attribute-path-walk-without-name-check
    for part in field_name.split("__"):
        value = getattr(value, part)
    return value
