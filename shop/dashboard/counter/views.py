"""Thin views of "Redeem a voucher": find the letter, spend, show the receipt.

Cooperative staff only (users of a partner), on their portal's host: the letter must be of
that portal, the service one of their own cooperative's offers there. Wrong, replaced and
other portals' codes get one message and count against the client's tries, as the gift
vouchers' do (``shop.giftcards.throttle``).
"""

import uuid

from django.contrib.sites.shortcuts import get_current_site
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from oscar.core.loading import get_model

from portal.defaults import setting
from portal.ledger.models import Transfer
from portal.ledger.transfers import LedgerError
from portal.programmes.paper import LetterNotFound, available, find_letter, letter_wallet
from portal.programmes.spending import SPEND_KIND, WalletRefused, check_usable
from shop.giftcards import throttle

from . import redemption
from .forms import TOKEN, CodeForm, SpendForm
from .redemption import NUMBER_PREFIX, counter_offers, order_number

Order = get_model("order", "Order")
TEMPLATE = "oscar/dashboard/counter/redeem.html"


def _staff_territory(request: HttpRequest):
    """The portal of this host, for a user of some cooperative; else a 404."""
    user = request.user
    territory = getattr(request, "territory", None)
    if territory is None or not user.is_authenticated or not user.partners.exists():
        raise Http404
    return territory


def _render(request, context: dict, status: int = 200) -> HttpResponse:
    return TemplateResponse(request, TEMPLATE, context, status=status)


@require_http_methods(["GET", "POST"])
def redeem(request: HttpRequest) -> HttpResponse:
    """Step one: the code. Step two: the holder's name and credit, the amount and service."""
    territory = _staff_territory(request)
    if request.method == "GET":
        return _render(request, {"code_form": CodeForm()})
    if throttle.is_blocked(request):
        minutes = max(1, setting("PORTAL_GIFTCARD_TRIES_WINDOW") // 60)
        return _render(request, {"code_form": CodeForm(), "blocked": minutes}, status=429)
    code_form = CodeForm(request.POST)
    if not code_form.is_valid():
        return _render(request, {"code_form": code_form})
    try:
        letter = find_letter(territory, code_form.cleaned_data["code"])
        wallet = letter_wallet(letter)
        check_usable(wallet, territory)
    except LetterNotFound as error:
        throttle.count_failure(request)
        code_form.add_error("code", str(error))
        return _render(request, {"code_form": code_form})
    except WalletRefused as error:
        code_form.add_error("code", str(error))
        return _render(request, {"code_form": code_form})
    balance = available(wallet)
    offers = counter_offers(request.user, territory, wallet.programme)
    context = {"holder": letter.application.applicant.get_full_name(), "balance": balance}
    if not offers:
        context["no_offers"] = True
        return _render(request, context)
    if "amount" not in request.POST:  # the code was just found: ask for amount and service
        form = SpendForm(
            initial={"code": code_form.cleaned_data["code"], "token": uuid.uuid4().hex},
            offers=offers,
            available=balance,
        )
        return _render(request, {**context, "form": form})
    done = _already_redeemed(request)
    if done is not None:  # a double submit: the first one's receipt
        return redirect("dashboard:counter-receipt", number=done)
    form = SpendForm(request.POST, offers=offers, available=balance)
    if form.is_valid():
        try:
            order = redeem_letter(request, letter, wallet, form, territory)
        except LedgerError as error:
            form.add_error(None, str(error))
        else:
            return redirect("dashboard:counter-receipt", number=order.number)
    return _render(request, {**context, "form": form})


def _already_redeemed(request: HttpRequest) -> str | None:
    token = request.POST.get("token", "")
    if not TOKEN.match(token):
        return None
    number = order_number(token)
    mine = Order.objects.filter(number=number, lines__partner__users=request.user)
    return number if mine.exists() else None


def redeem_letter(request, letter, wallet, form, territory):
    data = form.cleaned_data
    return redemption.redeem(
        letter,
        wallet,
        data["service"],
        data["amount"],
        staff=request.user,
        token=data["token"],
        territory=territory,
        site=get_current_site(request),
    )


def receipt(request: HttpRequest, number: str) -> HttpResponse:
    """What was redeemed: an order of the counter with a line of the user's cooperative."""
    territory = _staff_territory(request)
    order = (
        Order.objects.filter(
            number=number,
            number__startswith=NUMBER_PREFIX,
            territory=territory,
            lines__partner__users=request.user,
        )
        .select_related("user")
        .first()
    )
    if order is None:
        raise Http404
    line = order.lines.select_related("partner").first()
    source = order.sources.select_related("source_type").first()
    spent = (
        Transfer.objects.filter(reference=f"order:{order.number}", kind=SPEND_KIND)
        .select_related("source")
        .first()
    )
    return TemplateResponse(
        request,
        "oscar/dashboard/counter/receipt.html",
        {
            "order": order,
            "line": line,
            "source": source,
            "credit_left": spent.source.balance if spent else None,
            "holder": order.user.get_full_name() if order.user else "",
            "title": _("Receipt %(number)s") % {"number": order.number},
        },
    )
