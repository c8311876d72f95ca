# Test cases for redirect_local_check.yaml (semgrep --test annotations).
from urllib.parse import urljoin, urlparse

from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from flask import redirect, request


def login_done():
    target = request.args.get("next", "/")
    # ruleid: python.redirect.leading-slash-local-url-check
    if target.startswith("/"):
        return redirect(target)
    return redirect("/")


def logout(next_url):
    # ruleid: python.redirect.leading-slash-local-url-check
    if not next_url.startswith("/"):
        next_url = "/"
    return HttpResponseRedirect(next_url)


def is_safe_url(url):
    # ruleid: python.redirect.leading-slash-local-url-check
    return url.startswith("/") and "://" not in url


def is_local_redirect(url):
    # ruleid: python.redirect.leading-slash-local-url-check
    if url.startswith("/"):
        return True
    return False


def is_valid_next(url):
    # ruleid: python.redirect.leading-slash-local-url-check
    if not url.startswith("/"):
        return False
    return "\n" not in url


def is_valid_next_checked(url):
    # ok: python.redirect.leading-slash-local-url-check
    if not url.startswith("/") or url.startswith("//"):
        return False
    return True


def back_checked(came_from):
    if came_from.startswith(("//", "/\\")):
        came_from = "/"
    # ok: python.redirect.leading-slash-local-url-check
    dest = came_from if came_from.startswith("/") else "/"
    return redirect(dest)


def back(came_from):
    # ruleid: python.redirect.leading-slash-local-url-check
    dest = came_from if came_from.startswith("/") else "/"
    return redirect(dest)


def login_done_checked():
    target = request.args.get("next", "/")
    # ok: python.redirect.leading-slash-local-url-check
    if target.startswith("/") and not target.startswith(("//", "/\\")):
        return redirect(target)
    return redirect("/")


def logout_second_char(next_url):
    # ok: python.redirect.leading-slash-local-url-check
    if not next_url.startswith("/") or next_url[1] in "/\\":
        next_url = "/"
    return HttpResponseRedirect(next_url)


def is_safe_url_netloc(url):
    parsed = urlparse(url.replace("\\", "/"))
    # ok: python.redirect.leading-slash-local-url-check
    return url.startswith("/") and not parsed.netloc


def logout_django(request, next_url):
    # ok: python.redirect.leading-slash-local-url-check
    if next_url.startswith("/") and url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        return HttpResponseRedirect(next_url)
    return HttpResponseRedirect("/")


def absolute_path(path):
    # ok: python.redirect.leading-slash-local-url-check
    if path.startswith("/"):
        return open(path).read()
    return None


def normalise(path):
    # ok: python.redirect.leading-slash-local-url-check
    if not path.startswith("/"):
        path = "/" + path
    return path


def after_login_netloc():
    target = request.args.get("next", "/")
    # ruleid: python.redirect.empty-netloc-local-url-check
    if not urlparse(target).netloc:
        return redirect(target)
    return redirect("/")


def after_logout_netloc(next_url):
    parts = urlparse(next_url)
    # ruleid: python.redirect.empty-netloc-local-url-check
    if parts.netloc:
        next_url = "/"
    return HttpResponseRedirect(next_url)


def is_safe_redirect(url, host):
    # ruleid: python.redirect.empty-netloc-local-url-check
    return urlparse(url).netloc in ("", host)


def after_login_netloc_backslash():
    target = request.args.get("next", "/")
    # ok: python.redirect.empty-netloc-local-url-check
    if "\\" not in target and not urlparse(target).netloc:
        return redirect(target)
    return redirect("/")


def is_safe_redirect_normalised(url, host):
    cleaned = url.replace("\\", "/")
    # ok: python.redirect.empty-netloc-local-url-check
    return urlparse(cleaned).netloc in ("", host)


def link_host(url):
    # ok: python.redirect.empty-netloc-local-url-check
    return urlparse(url).netloc


def is_safe_url_joined(target):
    ref_url = urlparse(request.host_url)
    test_url = urlparse(urljoin(request.host_url, target))
    # ruleid: python.redirect.empty-netloc-local-url-check
    return test_url.scheme in ("http", "https") and ref_url.netloc == test_url.netloc
