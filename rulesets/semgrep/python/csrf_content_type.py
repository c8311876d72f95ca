# Test cases for csrf_content_type.yaml (annotations as in semgrep --test).
import json

from flask import request as flask_request


def get_request_handler(body_field, is_body_form):
    async def app(request):
        body = None
        if body_field:
            if is_body_form:
                body = await request.form()
            else:
                body_bytes = await request.body()
                if body_bytes:
                    # ruleid: python.csrf.json-body-parsed-without-content-type
                    body = await request.json()
        return body

    return app


def get_request_handler_fixed(body_field, is_body_form):
    async def app(request):
        body = None
        if body_field:
            if is_body_form:
                body = await request.form()
            else:
                body_bytes = await request.body()
                content_type = request.headers.get("content-type", "")
                if content_type.split(";")[0].strip() == "application/json":
                    # ok: python.csrf.json-body-parsed-without-content-type
                    body = await request.json()
                else:
                    body = body_bytes
        return body

    return app


async def read_body(request, wants_form):
    if wants_form:
        data = await request.form()
    else:
        # ruleid: python.csrf.json-body-parsed-without-content-type
        data = json.loads(await request.body())
    return data


async def read_body_by_type(request):
    if request.headers.get("content-type") == "application/x-www-form-urlencoded":
        data = await request.form()
    else:
        # ok: python.csrf.json-body-parsed-without-content-type
        data = await request.json()
    return data


def webhook():
    # ruleid: python.csrf.json-body-parsed-without-content-type
    payload = flask_request.get_json(force=True)
    return payload


def api():
    # ok: python.csrf.json-body-parsed-without-content-type
    payload = flask_request.get_json()
    return payload


async def plain_json(request):
    # a handler that only takes JSON: what protects it is the framework's content-type check
    # ok: python.csrf.json-body-parsed-without-content-type
    return await request.json()
