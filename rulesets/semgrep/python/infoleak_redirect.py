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
