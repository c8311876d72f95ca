# Test cases for admin-handler-without-role-check.yaml (annotations as in semgrep --test).
from django.contrib.auth.decorators import login_required, user_passes_test
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.http import HttpResponseForbidden, JsonResponse
from django.shortcuts import render
from django.views import View
from django.views.decorators.http import require_http_methods

from app.models import Account


@login_required
# ruleid: python.authz.admin-handler-without-role-check
def admin_dashboard(request):
    return render(request, "admin/dashboard.html", {"accounts": Account.objects.all()})


@require_http_methods(["DELETE"])
@login_required
# ruleid: python.authz.admin-handler-without-role-check
def admin_delete_account(request, account_id):
    Account.objects.filter(pk=account_id).delete()
    return JsonResponse({"msg": "deleted"})


@login_required
# ok: python.authz.admin-handler-without-role-check
def admin_disable_account(request, account_id):
    if not request.user.is_staff:
        return HttpResponseForbidden()
    Account.objects.filter(pk=account_id).update(active=False)
    return JsonResponse({"msg": "disabled"})


@user_passes_test(lambda u: u.is_superuser)
# ok: python.authz.admin-handler-without-role-check
def admin_export(request):
    return JsonResponse({"accounts": list(Account.objects.values())})


# ok: python.authz.admin-handler-without-role-check
def admin_overview(request):
    # no authentication at all: missing-auth-sibling's case, not this one
    return render(request, "admin/overview.html")


@login_required
# ok: python.authz.admin-handler-without-role-check
def account_settings(request):
    # not the admin area: the template path alone says nothing
    return render(request, "admin/settings_form.html")


class AdminAccountsView(LoginRequiredMixin, View):
    # ruleid: python.authz.admin-handler-without-role-check
    def post(self, request):
        Account.objects.create(name=request.POST["name"])
        return JsonResponse({"msg": "created"})


class AdminReportsView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "app.view_report"

    # ok: python.authz.admin-handler-without-role-check
    def get(self, request):
        return JsonResponse({"reports": []})


class AdminAuditView(LoginRequiredMixin, View):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_superuser:
            return HttpResponseForbidden()
        return super().dispatch(request, *args, **kwargs)

    # ok: python.authz.admin-handler-without-role-check
    def get(self, request):
        return JsonResponse({"audit": []})


def editor_required(view):
    def inner(request, *args, **kwargs):
        if not request.user.has_role("editor"):
            return HttpResponseForbidden()
        return view(request, *args, **kwargs)

    return inner


@login_required
@editor_required
# ok: python.authz.admin-handler-without-role-check
def admin_edit_account(request, account_id):
    Account.objects.filter(pk=account_id).update(name=request.POST["name"])
    return JsonResponse({"msg": "renamed"})
