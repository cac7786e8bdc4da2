"""Stripe's webhook endpoint and the dashboard's refund form."""

import logging

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from oscar.core.loading import get_model

from .forms import RefundForm
from .refunds import RefundRefused, card_refund_summary, refund_order
from .webhooks import InvalidEvent, handle, verified_event

logger = logging.getLogger(__name__)
Order = get_model("order", "Order")


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    try:
        event = verified_event(request.body, request.headers.get("Stripe-Signature"))
    except InvalidEvent as error:
        logger.warning("Stripe webhook refused: %s", error)
        return HttpResponseBadRequest("invalid signature or payload")
    handle(event)
    return HttpResponse("ok")


@staff_member_required(login_url="dashboard:login")
@require_POST
def refund(request: HttpRequest, number: str) -> HttpResponse:
    """Refund all or part of an order's card payment (Oscar dashboard, order page)."""
    order = get_object_or_404(Order, number=number)
    if not request.user.has_perm("order.change_order"):
        return HttpResponse(status=403)
    form = RefundForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("amount", []):
            messages.error(request, error)
    elif not form.cleaned_data["confirmed"]:  # the confirmation step: nothing refunded yet
        summary = card_refund_summary(order)
        if summary is None or form.cleaned_data["amount"] > summary.card_refundable:
            messages.error(request, _("This amount cannot be refunded by card."))
            return redirect("dashboard:order-detail", number=order.number)
        return TemplateResponse(
            request,
            "oscar/dashboard/orders/refund_confirm.html",
            {"order": order, "amount": form.cleaned_data["amount"], "form": form},
        )
    else:
        try:
            refund_order(
                order,
                form.cleaned_data["amount"],
                request.user,
                request_key=form.cleaned_data["request_key"],
            )
        except RefundRefused as error:
            messages.error(request, str(error))
        else:
            from shop.order.emails import send_refund_email

            send_refund_email(order, form.cleaned_data["amount"])
            messages.success(
                request, _("Refund made through Stripe. The citizen is told by e-mail.")
            )
    return redirect("dashboard:order-detail", number=order.number)
