"""Thin views: the balance page, and applying or removing a voucher in the basket."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.defaults import setting

from . import session, throttle
from .forms import CodeForm
from .redemption import (
    GiftCardNotFound,
    GiftCardSpent,
    available_balance,
    find_card,
    is_voucher_line,
)


def _too_many_tries(request: HttpRequest) -> HttpResponse:
    minutes = max(1, setting("PORTAL_GIFTCARD_TRIES_WINDOW") // 60)
    return TemplateResponse(
        request, "giftcards/too_many_tries.html", {"minutes": minutes}, status=429
    )


def balance(request: HttpRequest) -> HttpResponse:
    """Check what a voucher is still worth. Wrong, expired or foreign codes: one message."""
    if request.territory is None:
        raise Http404
    card = None
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        if throttle.is_blocked(request):
            return _too_many_tries(request)
        if form.is_valid():
            try:
                card = find_card(request.territory, form.cleaned_data["code"])
            except GiftCardNotFound as error:
                throttle.count_failure(request)
                form.add_error("code", str(error))
    context = {
        "form": form,
        "card": card,
        "balance": available_balance(card) if card else None,
    }
    return TemplateResponse(request, "giftcards/balance.html", context)


@require_POST
def apply(request: HttpRequest) -> HttpResponse:
    """Use a voucher in this portal's basket (the checkout spends it)."""
    if request.territory is None:
        raise Http404
    if throttle.is_blocked(request):
        return _too_many_tries(request)
    form = CodeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the code of your gift voucher."))
        return redirect("basket:summary")
    try:
        card = session.apply_code(request, form.cleaned_data["code"])
    except GiftCardNotFound as error:
        throttle.count_failure(request)
        messages.error(request, str(error))
        return redirect("basket:summary")
    except GiftCardSpent as error:
        messages.error(request, str(error))
        return redirect("basket:summary")
    messages.success(
        request,
        _("Gift voucher …%(last4)s applied: it is worth %(balance)s €.")
        % {"last4": card.code_last4, "balance": number_format(available_balance(card), 2)},
    )
    if any(is_voucher_line(line) for line in request.basket.all_lines()):
        messages.info(
            request,
            _(
                "A gift voucher does not pay for another gift voucher: the vouchers in your "
                "basket are paid by card."
            ),
        )
    return redirect("basket:summary")


@require_POST
def remove(request: HttpRequest, card_id: int) -> HttpResponse:
    if request.territory is None:
        raise Http404
    session.remove_card(request, card_id)
    messages.info(request, _("The gift voucher is no longer used for this purchase."))
    return redirect("basket:summary")
