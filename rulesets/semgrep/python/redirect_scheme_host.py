# Test cases for redirect_scheme_host.yaml (annotations as in semgrep --test).
from urllib.parse import urljoin, urlparse

ALLOWED_SCHEMES = ("http", "https")


def is_url_in_site(site_url, url):
    scheme, host, path, _, _, _ = urlparse(url)
    # ruleid: python.redirect.scheme-allowed-without-host
    if scheme and scheme not in ALLOWED_SCHEMES:
        return False
    if not host and not path.startswith("/"):
        return True
    _, host, path, _, _, _ = urlparse(urljoin(site_url, url))
    return host == urlparse(site_url).netloc


def is_url_in_site_fixed(site_url, url):
    scheme, host, path, _, _, _ = urlparse(url)
    # ok: python.redirect.scheme-allowed-without-host
    if scheme and scheme not in ALLOWED_SCHEMES:
        return False
    if scheme and not host:
        # https:evil.example
        return False
    if not host and not path.startswith("/"):
        return True
    _, host, path, _, _, _ = urlparse(urljoin(site_url, url))
    return host == urlparse(site_url).netloc


def scheme_only(url):
    # no host test after it: nothing is taken as local for lack of a host
    scheme, host, _path, _, _, _ = urlparse(url)
    # ok: python.redirect.scheme-allowed-without-host
    if scheme not in ALLOWED_SCHEMES:
        return False
    return host.endswith(".example.org")


def is_safe_redirect(url):
    parsed = urlparse(url)
    # ruleid: python.redirect.scheme-allowed-without-host
    if parsed.scheme and parsed.scheme not in ALLOWED_SCHEMES:
        return False
    if not parsed.netloc:
        return True
    return parsed.netloc == "www.example.org"


def is_safe_redirect_fixed(url):
    parsed = urlparse(url)
    # ok: python.redirect.scheme-allowed-without-host
    if parsed.scheme and parsed.scheme not in ALLOWED_SCHEMES:
        return False
    if parsed.scheme and not parsed.netloc:
        return False
    if not parsed.netloc:
        return True
    return parsed.netloc == "www.example.org"
