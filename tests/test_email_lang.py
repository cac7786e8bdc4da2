"""Every HTML e-mail says the language it is written in: ``<html lang="…">`` is the language
it was rendered in (Italian, English or German), not the default's."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation
from oscar.core.loading import get_model

from portal.territories.themes import use_theme
from tests.orders_support import basket_with, book, citizen, place
from tests.test_giftcards import new_card

pytestmark = pytest.mark.django_db
CommunicationEventType = get_model("communication", "CommunicationEventType")
ProductAlert = get_model("customer", "ProductAlert")

LANG = re.compile(r"<html[^>]*\slang=\"([^\"]*)\"")
LANGUAGES = ["it", "en", "de"]
OSCAR_EMAILS = [
    "REGISTRATION",
    "PASSWORD_RESET",
    "PASSWORD_CHANGED",
    "EMAIL_CHANGED",
    "PRODUCT_ALERT",
    "PRODUCT_ALERT_CONFIRMATION",
    "ORDER_PLACED",
]


def lang_of(html: str) -> str | None:
    found = LANG.search(html)
    return found.group(1) if found else None


@pytest.mark.parametrize("code", OSCAR_EMAILS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_each_shop_email_has_the_language_it_is_written_in(territories, code, language):
    rho = territories["rho"]
    basket = basket_with(rho, ["yoga-bambini-online"], user=citizen())
    book(basket, rho)
    order = place(basket, user=citizen())
    request = RequestFactory(HTTP_HOST="rho.localhost").get("/")
    request.user, request.territory = citizen(), rho
    context = {
        "user": citizen(),
        "request": request,
        "site": order.site,
        "order": order,
        "lines": order.lines.all(),
        "reset_url": "/shop/password-reset/x/y/",
        "new_email": "nuova@example.it",
        "alert": ProductAlert(
            user=citizen(), email="", key="k3y", product=order.lines.get().product
        ),
    }
    with use_theme(rho.theme), translation.override(language):
        messages = CommunicationEventType.objects.get_and_render(code, context)
    assert messages["html"], code
    assert lang_of(messages["html"]) == language


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_gift_voucher_email_has_the_language_it_is_written_in(territories, language):
    sondrio = territories["sondrio"]
    card, code = new_card(sondrio)
    context = {"card": card, "territory": sondrio, "code": code, "validity_days": 365}
    with use_theme(sondrio.theme), translation.override(language):
        html = render_to_string("giftcards/email/giftcard_body.html", context)
    assert lang_of(html) == language
