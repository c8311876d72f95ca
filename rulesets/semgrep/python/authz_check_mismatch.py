# Test cases for authz_check_mismatch.yaml (annotations as in semgrep --test).
from flask import abort, flash, redirect, request, url_for


def edit_shelf(shelf, user):
    form = request.form.to_dict()
    if not user.can_publish() and form.get("is_public") == "on":
        flash("not allowed")
        return redirect(url_for("index"))
    # ruleid: python.authz.permission-check-exact-value-use-truthy
    shelf.is_public = 1 if form.get("is_public") else 0


def edit_shelf_fixed(shelf, user):
    form = request.form.to_dict()
    if not user.can_publish() and form.get("is_public") == "on":
        return redirect(url_for("index"))
    # ok: python.authz.permission-check-exact-value-use-truthy
    shelf.is_public = 1 if form.get("is_public") == "on" else 0


def make_admin(user, data):
    if data["admin"] == "true" and not user.is_superuser:
        raise PermissionError("no")
    # ruleid: python.authz.permission-check-exact-value-use-truthy
    if data["admin"]:
        user.role = "admin"


def share(doc, user):
    if request.args.get("public", "") == "1" and not user.may_share(doc):
        abort(403)
    # ruleid: python.authz.permission-check-exact-value-use-truthy
    doc.public = bool(request.args.get("public", ""))


def share_stricter_check(doc, user):
    # the check refuses any non-empty value: the use cannot be looser
    if request.args.get("public") and not user.may_share(doc):
        abort(403)
    # ok: python.authz.permission-check-exact-value-use-truthy
    doc.public = bool(request.args.get("public"))


def other_field(doc, user):
    if request.args.get("public") == "1" and not user.may_share(doc):
        abort(403)
    # ok: python.authz.permission-check-exact-value-use-truthy
    doc.pinned = 1 if request.args.get("pinned") else 0


def no_refusal(doc):
    if request.args.get("mode") == "fast":
        doc.log("fast mode")
    # ok: python.authz.permission-check-exact-value-use-truthy
    doc.fast = 1 if request.args.get("mode") else 0
