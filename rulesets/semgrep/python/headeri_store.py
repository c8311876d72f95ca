# Test cases for headeri_store.yaml (semgrep --test annotations).


def _norm(name):
    return name.title().replace("_", "-")


def _checked(value):
    value = str(value)
    if "\n" in value or "\r" in value or "\0" in value:
        raise ValueError("header value must not contain control characters: %r" % value)
    return value


class ResponseHeaders(dict):
    # ruleid: python.headeri.header-store-without-line-break-check
    def __setitem__(self, name, value):
        self.items_by_name[_norm(name)] = [value if isinstance(value, str) else str(value)]

    # ruleid: python.headeri.header-store-without-line-break-check
    def append(self, name, value):
        self.items_by_name.setdefault(_norm(name), []).append(str(value))

    # ruleid: python.headeri.header-store-without-line-break-check
    def add(self, name, value):
        self.items_by_name[name.lower()].append(value)


class Reply:
    def __init__(self):
        self._headers = {}

    # ruleid: python.headeri.header-store-without-line-break-check
    def set_header(self, name, value):
        """Replace the header."""
        self._headers[_norm(name)] = [str(value)]

    # ok: python.headeri.header-store-without-line-break-check
    def add_header(self, name, value):
        # the fix's form: the value passes a helper that refuses line breaks
        self._headers.setdefault(_norm(name), []).append(_checked(value))


class HeaderList:
    def __init__(self):
        self.headerlist = []

    # ruleid: python.headeri.header-store-without-line-break-check
    def add(self, name, value):
        self.headerlist.append((name.title(), str(value)))


class CheckedHeaders:
    # ok: python.headeri.header-store-without-line-break-check
    def __setitem__(self, name, value):
        if "\n" in value or "\r" in value:
            raise ValueError(value)
        self.store[_norm(name)] = [value]

    # ok: python.headeri.header-store-without-line-break-check
    def append(self, name, value):
        if _bad_header_value.search(value):
            raise ValueError(value)
        self.store.setdefault(_norm(name), []).append(value)

    # ok: python.headeri.header-store-without-line-break-check
    def replace(self, name, value):
        name, value = _scrub(name, value)
        self.store[_norm(name)] = [value]


class MultiDict:
    # not a header store: a form's or query's values are not written as header lines
    # ok: python.headeri.header-store-without-line-break-check
    def __setitem__(self, key, value):
        self.dict[key] = [value]

    # ok: python.headeri.header-store-without-line-break-check
    def append(self, key, value):
        self.dict.setdefault(key, []).append(value)
