"""What the shop says after a step, in words a citizen reads: the basket's messages offer
only the buttons that lead somewhere, a category's title names it once, Italian dates are
written in lowercase, Oscar's Italian is corrected where it was wrong."""

import calendar
import re

import pytest
from django.utils import timezone, translation
from oscar.core.loading import get_model

from tests.conftest import portal_client
from tests.orders_support import basket_with, book, citizen, place

pytestmark = pytest.mark.django_db
StockRecord = get_model("partner", "StockRecord")
ITALIAN_MONTHS = (
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre"
)


def an_offer(territory):
    return (
        StockRecord.objects.filter(territory=territory, product__voucher=None)
        .exclude(product__upc="")
        .exclude(product__product_class__slug="buono-regalo")
        .order_by("pk")
        .first()
    )


def messages_of(html: str) -> str:
    found = re.search(r'<div id="messages".*?</div>\s*</div>', html, re.S)
    return found.group(0) if found else ""


def test_the_basket_pages_messages_offer_only_useful_buttons(territories):
    sondrio = territories["sondrio"]
    user = citizen()
    basket = basket_with(sondrio, [an_offer(sondrio).product.upc], user=user)
    client = portal_client("sondrio")
    client.force_login(user)
    line = basket.all_lines()[0]
    form = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": str(line.pk),
        "form-0-quantity": "3",
    }
    page = client.post("/shop/basket/", form, follow=True).content.decode()
    said = messages_of(page)
    assert "Il totale del tuo carrello ora è" in said
    assert "Vai alla cassa" in said and "Visualizza carrello" not in said  # already there

    page = client.post("/shop/basket/", {**form, "form-0-quantity": "0"}, follow=True)
    said = messages_of(page.content.decode())
    assert "vuoto" in said and "Vai alla cassa" not in said  # nothing to pay for

    # from a service's page, the basket is a page away: the button is there
    added = client.post(
        f"/shop/basket/add/{an_offer(sondrio).product_id}/", {"quantity": 1}, follow=True
    )
    assert "Visualizza carrello" in messages_of(added.content.decode())


def test_an_empty_basket_at_the_checkout_is_told_in_plain_italian(territories):
    answer = portal_client("sondrio").get("/shop/checkout/", follow=True).content.decode()
    assert "Il carrello è vuoto: aggiungi un servizio per procedere al pagamento" in answer
    assert "E' necessario" not in answer


def test_a_categorys_title_names_it_once(territories):
    sondrio = territories["sondrio"]
    category = an_offer(sondrio).product.get_categories().first()
    with translation.override("it"):
        html = portal_client("sondrio").get(category.get_absolute_url()).content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title.count(category.name) == 1, title


def test_italian_dates_are_lowercase(territories):
    sondrio = territories["sondrio"]
    user = citizen()
    basket = basket_with(sondrio, [an_offer(sondrio).product.upc], user=user)
    book(basket, sondrio)
    order = place(basket, user=user)
    client = portal_client("sondrio")
    client.force_login(user)
    month = timezone.localtime(order.date_placed).month
    name = ITALIAN_MONTHS.split()[month - 1]
    history = client.get("/shop/accounts/orders/").content.decode()
    assert f" {name} " in history and f" {name.capitalize()} " not in history
    english = client.get("/en/shop/accounts/orders/").content.decode()
    assert f" {calendar.month_name[month]} " in english  # English capitalises its months


def test_english_pages_say_basket_as_the_portal_does(territories):
    """Python reads "en" as en_US first, and Oscar's American catalogue said "View cart" on
    the same page as the portal's "Basket" (portal/territories/oscar_english.py)."""
    sondrio = territories["sondrio"]
    client = portal_client("sondrio")
    added = client.post(
        f"/en/shop/basket/add/{an_offer(sondrio).product_id}/", {"quantity": 1}, follow=True
    ).content.decode()
    said = messages_of(added)
    assert "View basket" in said and "cart" not in said.lower()
    basket = client.get("/en/shop/basket/").content.decode()
    assert "Basket total" in basket and "Cart total" not in basket


def test_the_dashboards_italian_is_spelled_right(territories):
    from tests.test_cooperative_dashboard import dashboard, staff_of

    html = dashboard(staff_of("stripes")).get("/shop/dashboard/").content.decode()
    assert "Controlla gli avvisi di scarsa disponibilità" in html
    assert "disponibiltà" not in html  # Oscar's Italian
