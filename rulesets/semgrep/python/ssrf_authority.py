import requests


def proxied(protocol, host, port, proxied_path):
    # ruleid: python.ssrf.url-authority-followed-by-non-constant
    client_uri = "{protocol}://{host}:{port}{path}".format(
        protocol=protocol, host=host, port=port, path=proxied_path
    )
    return client_uri


def local_service(port, path):
    # ruleid: python.ssrf.url-authority-followed-by-non-constant
    return requests.get(f"http://localhost:{port}{path}")


def fixed_port(path):
    # ruleid: python.ssrf.url-authority-followed-by-non-constant
    return requests.get(f"http://127.0.0.1:8080{path}")


def percent_format(host, port, path):
    # positional placeholders do not say which value is the path: not reported
    # ok: python.ssrf.url-authority-followed-by-non-constant
    return "http://%s:%d%s" % (host, port, path)


def concatenated(path):
    # ruleid: python.ssrf.url-authority-followed-by-non-constant
    return requests.get("http://localhost:8080" + path)


def concatenated_fstring(host, port, path):
    # ruleid: python.ssrf.url-authority-followed-by-non-constant
    return requests.get(f"http://{host}:{port}" + path)


def slash_in_literal(host, port, path):
    # ok: python.ssrf.url-authority-followed-by-non-constant
    return requests.get(f"http://{host}:{port}/{path.lstrip('/')}")


def slash_in_format(host, port, path):
    # ok: python.ssrf.url-authority-followed-by-non-constant
    return "http://{}:{}/{}".format(host, port, path)


def path_checked(protocol, host, port, client_path):
    if not client_path.startswith("/"):
        client_path = "/" + client_path
    # ok: python.ssrf.url-authority-followed-by-non-constant
    return "{protocol}://{host}:{port}{path}".format(
        protocol=protocol, host=host, port=port, path=client_path
    )


def path_rejected(host, path):
    if not path.startswith("/"):
        raise ValueError("path must be absolute")
    # ok: python.ssrf.url-authority-followed-by-non-constant
    return requests.get(f"http://{host}{path}")


def query_after_path(host, query):
    # ok: python.ssrf.url-authority-followed-by-non-constant
    return requests.get(f"https://{host}/search?q={query}")


def constant_suffix():
    # ok: python.ssrf.url-authority-followed-by-non-constant
    return requests.get("http://localhost:8080" + "/health")


def scheme_and_host_only(scheme, host):
    # ok: python.ssrf.url-authority-followed-by-non-constant
    return f"{scheme}://{host}"


def host_and_port(host, port):
    # ok: python.ssrf.url-authority-followed-by-non-constant
    return "http://{}:{}".format(host, port)


def own_link(request, netloc, script_name):
    # the application's own mount point after its host
    # ok: python.ssrf.url-authority-followed-by-non-constant
    return f"{request.scheme}://{netloc}{script_name}"


def ticket_link(protocol, site):
    # ok: python.ssrf.url-authority-followed-by-non-constant
    return f"{protocol}://{site.domain}{reverse('ticket')}"


def forwarded(self, target_url):
    # ruleid: python.ssrf.url-authority-followed-by-non-constant
    return requests.get(f"http://{self.upstream}{target_url}")
