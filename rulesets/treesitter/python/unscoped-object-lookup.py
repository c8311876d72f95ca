# Test cases for unscoped-object-lookup.yaml (annotations as in semgrep --test).
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404

from app.models import Invoice, Message


@login_required
def show_message(request, message_id):
    # ruleid: python.authz.unscoped-object-lookup
    message = Message.objects.get(pk=message_id)
    return JsonResponse({"text": message.text})


@login_required
def delete_invoice(request):
    invoice_id = int(request.POST["invoice_id"])
    # ruleid: python.authz.unscoped-object-lookup
    get_object_or_404(Invoice, pk=invoice_id).delete()
    return HttpResponse("deleted")


@login_required
def own_message(request, message_id):
    # ok: python.authz.unscoped-object-lookup
    message = Message.objects.get(pk=message_id, receiver=request.user)
    return JsonResponse({"text": message.text})


@login_required
def checked_message(request, message_id):
    # ok: python.authz.unscoped-object-lookup
    message = Message.objects.get(pk=message_id)
    if message.receiver != request.user:
        return HttpResponse(status=403)
    return JsonResponse({"text": message.text})


@login_required
def my_invoices(request):
    # ok: python.authz.unscoped-object-lookup
    invoice = Invoice.objects.get(pk=request.user.invoice_id)
    return JsonResponse({"total": invoice.total})


@permission_required("app.view_invoice")
def admin_invoice(request, invoice_id):
    # ok: python.authz.unscoped-object-lookup
    return JsonResponse({"total": Invoice.objects.get(pk=invoice_id).total})


def public_message(request, message_id):
    # ok: python.authz.unscoped-object-lookup
    return JsonResponse({"text": Message.objects.get(pk=message_id).text})


@login_required
def first_message(request):
    # ok: python.authz.unscoped-object-lookup
    return JsonResponse({"text": Message.objects.get(pk=1).text})
