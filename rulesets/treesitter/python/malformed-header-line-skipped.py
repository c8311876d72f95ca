# Test cases for malformed-header-line-skipped.yaml (annotations as in semgrep --test).
# A parser of its own: it frames bodies by Content-Length or by chunked transfer coding.


class BadRequest(Exception):
    pass


def parse_fields(lines):
    headers = {}
    for line in lines:
        # ruleid: python.smuggling.malformed-header-line-skipped
        index = line.find(b":")
        if index > 0:
            headers[line[:index].upper()] = line[index + 1 :].strip()
    return headers


def parse_fields_not_minus_one(lines):
    headers = {}
    for line in lines:
        # ruleid: python.smuggling.malformed-header-line-skipped
        i = line.find(":")
        if i != -1:
            headers[line[:i]] = line[i + 1 :]
    return headers


def parse_fields_strict(lines):
    headers = {}
    for line in lines:
        # ok: python.smuggling.malformed-header-line-skipped
        index = line.find(b":")
        if index > 0:
            headers[line[:index].upper()] = line[index + 1 :].strip()
        else:
            raise BadRequest("header line without a colon")
    return headers


def parse_fields_refused_first(lines):
    headers = {}
    for line in lines:
        # ok: python.smuggling.malformed-header-line-skipped
        index = line.find(b":")
        if index <= 0:
            raise BadRequest("header line without a colon")
        headers[line[:index]] = line[index + 1 :]
    return headers


def is_chunked(headers):
    return headers.get(b"TRANSFER_ENCODING", b"").lower() == b"chunked"
