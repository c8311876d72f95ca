# Test cases for authz.yaml (annotations as in semgrep --test).
from django.http import JsonResponse
from flask import request

from app import User, db


def update_user(request, user_id):
    data = request.POST.dict().copy()
    data.pop("password_confirmation", None)
    # ruleid: python.authz.mass-assignment-from-request
    User.objects.filter(user_id=user_id).update(**data)
    # ok: python.authz.mass-assignment-from-request
    User.objects.filter(user_id=user_id).update(email=data["email"])
    # ok: python.authz.mass-assignment-from-request
    return JsonResponse(**data)


def create_user():
    # ruleid: python.authz.mass-assignment-from-request
    user = User(**request.get_json())
    db.session.add(user)


def patch_user(user):
    # ruleid: python.authz.mass-assignment-from-request
    for key, value in request.json.items():
        setattr(user, key, value)


def create_from_form(form):
    fields = {"name": form.name.data}
    # ok: python.authz.mass-assignment-from-request
    return User(**fields)
