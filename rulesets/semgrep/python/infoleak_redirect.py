# Test cases for infoleak_redirect.yaml (semgrep --test annotations).


class Retry:
    # ruleid: python.infoleak.redirect-strip-list-keeps-cookie
    DEFAULT_REMOVE_HEADERS_ON_REDIRECT = frozenset(["Authorization"])


class SafeRetry:
    # ok: python.infoleak.redirect-strip-list-keeps-cookie
    DEFAULT_REMOVE_HEADERS_ON_REDIRECT = frozenset(["Cookie", "Authorization", "Proxy-Authorization"])


class Client:
    def __init__(self):
        # ruleid: python.infoleak.redirect-strip-list-keeps-cookie
        self.strip_on_redirect = {"authorization", "proxy-authorization"}
        # a list of headers that has nothing to do with redirects
        # ok: python.infoleak.redirect-strip-list-keeps-cookie
        self.allowed_headers = ["Authorization", "Content-Type"]


class PoolManager:
    def urlopen(self, method, url, redirect_location, kw, retries, conn):
        if retries.remove_headers_on_redirect and not conn.is_same_host(redirect_location):
            # ruleid: python.infoleak.redirect-header-strip-case-sensitive
            for header in retries.remove_headers_on_redirect:
                kw["headers"].pop(header, None)

    def urlopen_lowercase(self, method, url, redirect_location, kw, retries, conn):
        if not conn.is_same_host(redirect_location):
            # ok: python.infoleak.redirect-header-strip-case-sensitive
            for header in list(kw["headers"]):
                if header.lower() in retries.remove_headers_on_redirect:
                    kw["headers"].pop(header, None)


def follow(request_headers, location):
    # ruleid: python.infoleak.redirect-header-strip-case-sensitive
    for name in SENSITIVE_HEADERS:
        del request_headers[name]


def copy_fields(record, fields):
    # a loop over other names
    # ok: python.infoleak.redirect-header-strip-case-sensitive
    for name in fields:
        record.pop(name, None)


def on_redirect(response, method, body, headers):
    # ruleid: python.infoleak.redirect-method-change-keeps-body
    if response.status == 303:
        method = "GET"
    return method, body, headers


def on_redirect_kw(response, kw):
    # ruleid: python.infoleak.redirect-method-change-keeps-body
    if response.status_code == 303 and kw["method"] != "HEAD":
        kw["method"] = "GET"
    return kw


def on_redirect_dropping_body(response, method, body, headers):
    # ok: python.infoleak.redirect-method-change-keeps-body
    if response.status == 303:
        method = "GET"
        body = None
    return method, body, headers


def on_redirect_dropping_kw(response, kw):
    # ok: python.infoleak.redirect-method-change-keeps-body
    if response.status == 303:
        kw["method"] = "GET"
        kw.pop("data", None)
    return kw


def other_status(response, method):
    # ok: python.infoleak.redirect-method-change-keeps-body
    if response.status in (301, 302, 303, 307, 308):
        log("redirect")
    return method


class Client:
    def _redirect_method(self, request, response):
        method = request.method
        # only the method is chosen here; the caller drops the body
        # ok: python.infoleak.redirect-method-change-keeps-body
        if response.status_code == codes.SEE_OTHER and method != "HEAD":
            method = "GET"
        return method
