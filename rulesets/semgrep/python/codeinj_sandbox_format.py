# Test cases for codeinj_sandbox_format.yaml (semgrep --test annotations).
import string


class SecurityError(Exception):
    pass


class Sandbox:
    def is_safe_callable(self, obj):
        return not getattr(obj, "unsafe_callable", False)

    # ruleid: python.codeinj.sandbox-call-without-format-check
    def call(__self, __context, __obj, *args, **kwargs):
        """Call an object from sandboxed code."""
        if not __self.is_safe_callable(__obj):
            raise SecurityError(f"{__obj!r} is not safely callable")
        return __context.call(__obj, *args, **kwargs)


class DirectSandbox:
    def allowed(self, func):
        return func not in (eval, exec, open)

    # ruleid: python.codeinj.sandbox-call-without-format-check
    def call_function(self, func, *args, **kwargs):
        if not self.allowed(func):
            raise SecurityError("not allowed")
        return func(*args, **kwargs)


class GuardedFormatter(string.Formatter):
    def __init__(self, sandbox):
        super().__init__()
        self.sandbox = sandbox

    def get_field(self, field_name, args, kwargs):
        raise SecurityError(field_name)


class FormatAwareSandbox:
    def is_safe_callable(self, obj):
        return True

    # ok: python.codeinj.sandbox-call-without-format-check
    def call(self, context, obj, *args, **kwargs):
        if getattr(obj, "__name__", None) in ("format", "format_map") and isinstance(
            getattr(obj, "__self__", None), str
        ):
            return GuardedFormatter(self).vformat(obj.__self__, args, kwargs)
        if not self.is_safe_callable(obj):
            raise SecurityError("unsafe")
        return context.call(obj, *args, **kwargs)


class WrappingSandbox:
    """The attribute hook wraps format methods, so the call hook need not look at them."""

    def getattr(self, obj, attribute):
        value = getattr(obj, attribute)
        if attribute in ("format", "format_map") and isinstance(obj, str):
            return self.wrap_str_format(value)
        return value

    def wrap_str_format(self, value):
        return value

    def is_safe_callable(self, obj):
        return True

    # ok: python.codeinj.sandbox-call-without-format-check
    def call(self, context, obj, *args, **kwargs):
        if not self.is_safe_callable(obj):
            raise SecurityError("unsafe")
        return context.call(obj, *args, **kwargs)


# ruleid: python.codeinj.sandbox-call-without-format-check
def guarded_call(func, *args, **kwargs):
    if not is_allowed_callable(func):
        raise SecurityError("not allowed")
    return func(*args, **kwargs)


def is_allowed_callable(func):
    return True


class Retry:
    # ok: python.codeinj.sandbox-call-without-format-check
    def run(self, func, *args, **kwargs):
        if not self.ready(func):
            return None
        return func(*args, **kwargs)

    def ready(self, func):
        return True
