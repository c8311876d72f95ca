# Test cases for smuggling_tokenizer.yaml (semgrep --test annotations).
import re

_item_re = re.compile(rb"(?P<key>[^=;]+)(?:\s*=\s*(?P<val>[^;]*))?\s*;")
_param_re = re.compile(r";\s*([\w-]+)=([^;]*)")
_delim_re = re.compile(r"[\"\\]")


def parse_cookie_pairs(data):
    pos = 0
    end = len(data)
    while pos < end:
        # ruleid: python.smuggling.tokenizer-search-skips-text
        m = _item_re.search(data + b";", pos)
        if not m:
            break
        key = m.group("key").strip()
        value = m.group("val") or b""
        pos = m.end(0)
        yield key, value


def parse_params(header):
    params = {}
    i = 0
    while True:
        # ruleid: python.smuggling.tokenizer-search-skips-text
        found = _param_re.search(header, i)
        if found is None:
            return params
        name, value = found.groups()
        params[name.lower()] = value
        i = found.end()


def parse_params_span(header):
    out = []
    i = 0
    while i < len(header):
        # ruleid: python.smuggling.tokenizer-search-skips-text
        m = _param_re.search(header, i)
        if m is None:
            break
        out.append((m[1], m[2]))
        i = m.span()[1]
    return out


def parse_cookie_pairs_anchored(data):
    # the fix's form: each item must start where the last one ended
    pos = 0
    data += b";"
    while pos < len(data):
        # ok: python.smuggling.tokenizer-search-skips-text
        m = _item_re.match(data, pos)
        if not m:
            break
        pos = m.end(0)
        key = m.group("key").strip()
        if not key:
            continue
        yield key, m.group("val") or b""


def split_on_delimiters(text):
    # a scanner for the next delimiter keeps the text before it
    out = []
    pos = 0
    while True:
        # ok: python.smuggling.tokenizer-search-skips-text
        m = _delim_re.search(text, pos)
        if m is None:
            out.append(text[pos:])
            return out
        out.append(text[pos : m.start()])
        out.append(m.group(0))
        pos = m.end()


def count_matches(text):
    # the match's text is not read as an item: a search for occurrences
    n = 0
    pos = 0
    while True:
        # ok: python.smuggling.tokenizer-search-skips-text
        m = _delim_re.search(text, pos)
        if m is None:
            return n
        n += 1
        pos = m.end()


def module_search(text, flags):
    while text:
        # ok: python.smuggling.tokenizer-search-skips-text
        m = re.search(r"(\w+)=", text, flags)
        if not m:
            break
        text = m.group(1)
