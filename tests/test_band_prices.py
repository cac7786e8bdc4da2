"""Income band prices: a citizen with a verified band on Sondrio (spec: A free, B −50% on
education and family services, paid by the fund "riduzioni-fasce-reddito") sees the reduced
price and why everywhere, pays the rest by card, and the fund's budget pays the reduction to
the cooperative on the ledger; an expired band, another portal's band or a fund with too
little left gives the full price with a notice; a price that changed after the payment page
was shown is shown again, never charged."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from oscar.core.loading import get_model

from portal.ledger.models import Account, Hold
from portal.ledger.transfers import transfer
from portal.programmes.models import Programme
from portal.programmes.spending import spent_account
from portal.welfare.bands import set_band
from portal.welfare.models import CitizenBand, IncomeBand, Reduction
from shop.payment.models import StripePayment
from shop.payment.refunds import refund_line
from tests.conftest import page_queries, portal_client
from tests.programmes_support import citizen
from tests.stripe_support import (
    CARD_OK,
    book_for_myself,
    confirm_card_setup,
    localstripe_url,  # noqa: F401  (fixture)
    stripe_settings,  # noqa: F401  (fixture)
)

pytestmark = [pytest.mark.django_db]
Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")
FUND = "riduzioni-fasce-reddito"


def fund(territory) -> Programme:
    return Programme.objects.get(territory=territory, slug=FUND)


def budget(territory) -> Decimal:
    return Account.objects.get(pk=fund(territory).budget_account_id).balance


def education_offer(territory) -> StockRecord:
    """A standalone education service of Sondrio (reduced by bands A and B)."""
    return (
        StockRecord.objects.filter(
            territory=territory,
            available=True,
            product__structure="standalone",
            product__categories__slug="educazione",
            price__gt=10,
        )
        .order_by("price", "pk")
        .first()
    )


def with_band(territory, code: str, user=None, days: int = 365):
    user = user or citizen()
    set_band(
        user,
        territory,
        IncomeBand.objects.get(territory=territory, code=code),
        actor=None,
        expires_on=timezone.localdate() + timedelta(days=days),
        reference="ISEE 2026 protocollo INPS-ISEE-2026-0001",
        social_point=None,
    )
    return user


def signed_in(territory, user):
    client = portal_client(territory.slug)
    client.force_login(user)
    return client


def at_payment(territory, user, offer, quantity: int = 1):
    client = signed_in(territory, user)
    client.post(f"/shop/basket/add/{offer.product_id}/", {"quantity": quantity})
    assert client.get("/shop/checkout/")["Location"] == "/shop/checkout/booking/"
    assert book_for_myself(client, territory)["Location"] == "/shop/checkout/payment-details/"
    return client


def shown(page: str, name: str) -> str:
    found = re.search(rf'data-{name}="([^"]*)"', page) or re.search(
        rf'name="{name}" value="([^"]*)"', page
    )
    return found.group(1)


def pay_by_card(client, page: str | None = None) -> tuple[int, dict]:
    """What card-payment.js does, with the amounts ``page`` showed (default: shown now)."""
    page = page or client.get("/shop/checkout/payment-details/").text
    setup = client.post("/shop/checkout/card/setup/").json()
    method = confirm_card_setup(setup["client_secret"], CARD_OK).get("payment_method")
    answer = client.post(
        "/shop/checkout/card/pay/",
        {
            "payment_method": method,
            "wallets": shown(page, "wallets"),
            "bands": shown(page, "bands"),
        },
    )
    return answer.status_code, answer.json()


def money_text(amount: Decimal) -> str:
    return f"{amount:.2f}".replace(".", ",")


# -- shown ---------------------------------------------------------------------------------


def test_band_b_halves_and_band_a_frees_the_price_on_product_basket_and_cards(territories):
    sondrio = territories["sondrio"]
    offer = education_offer(sondrio)
    half = (offer.price / 2).quantize(Decimal("0.01"))
    b_client = signed_in(sondrio, with_band(sondrio, "B"))
    a_client = signed_in(sondrio, with_band(sondrio, "A"))
    product = offer.product.get_absolute_url()

    page = b_client.get(product).text
    assert money_text(half) in page and "<del>" in page
    assert "fascia B" in page and "Fondo per i servizi a prezzo ridotto" in page
    assert "Gratuito con la fascia A" in a_client.get(product).text

    b_client.post(f"/shop/basket/add/{offer.product_id}/", {"quantity": 1})
    basket = b_client.get("/shop/basket/").text
    assert "−50% con la fascia B" in basket and money_text(half) in basket

    listing = b_client.get("/shop/catalogue/?q=" + offer.product.title.split()[0]).text
    card = listing[listing.index(f'data-service="{offer.product.upc}"') :][:3000]
    assert "−50% con la fascia B" in card and money_text(half) in card


def test_a_visitor_and_a_citizen_without_band_see_full_prices_after_a_band_citizen(territories):
    """The kept fragments (the home page's featured services), the remembered cards (the
    catalogue) and the product page never give one citizen's band price to anyone else, nor
    everyone's price to the band citizen."""
    sondrio = territories["sondrio"]
    offer = education_offer(sondrio)
    Product = get_model("catalogue", "Product")
    Product.objects.filter(pk=offer.product_id).update(date_updated=timezone.now())  # featured
    band_client = signed_in(sondrio, with_band(sondrio, "B"))
    other = signed_in(sondrio, citizen())
    visitor = portal_client("sondrio")
    title = offer.product.get_title()

    for path in ["/", "/shop/catalogue/", offer.product.get_absolute_url()]:
        before = other.get(path).text  # kept first with everyone's prices
        reduced = band_client.get(path).text
        after_other, after_visitor = other.get(path).text, visitor.get(path).text
        assert title in before and title in reduced, path
        assert "fascia B" in reduced, path
        for page in (before, after_other, after_visitor):
            assert "fascia B" not in page and money_text(offer.price) in page, path


# -- charged and funded --------------------------------------------------------------------


@pytest.mark.usefixtures("stripe_settings")
def test_half_price_paid_by_card_and_the_fund_pays_the_cooperative(
    territories, django_capture_on_commit_callbacks
):
    sondrio = territories["sondrio"]
    offer = education_offer(sondrio)
    half = (offer.price / 2).quantize(Decimal("0.01"))
    user = with_band(sondrio, "B")
    budget_before = budget(sondrio)
    cooperative = spent_account(fund(sondrio), offer.partner)
    cooperative_before = cooperative.balance
    client = at_payment(sondrio, user, offer, quantity=2)
    page = client.get("/shop/checkout/payment-details/").text
    assert "−50% con la fascia B" in page and shown(page, "bands")

    with django_capture_on_commit_callbacks(execute=True):  # the e-mail goes after commit
        status, answer = pay_by_card(client, page)

    assert status == 200, answer
    order = Order.objects.get(user=user)
    assert order.total_incl_tax == offer.price * 2 - half * 2
    assert StripePayment.objects.get(order=order).amount == order.total_incl_tax
    assert budget(sondrio) == budget_before - half * 2
    cooperative.refresh_from_db()
    assert cooperative.balance - cooperative_before == half * 2
    held = Hold.objects.get(reference=f"order:{order.number}:band:1")
    assert held.status == Hold.Status.CAPTURED and held.amount == half * 2
    order_page = client.get(f"/shop/accounts/orders/{order.number}/").text
    assert "Riduzione per fascia di reddito" in order_page
    assert "Fondo per i servizi a prezzo ridotto" in order_page
    placed = [m for m in mail.outbox if user.email in m.to]
    assert placed and "Riduzione per fascia di reddito" in placed[0].body
    assert "Fondo per i servizi a prezzo ridotto" in placed[0].body

    line = order.lines.get()
    for _ in range(2):  # a repeated refund gives back once
        refund_line(order, line)
    assert budget(sondrio) == budget_before
    cooperative.refresh_from_db()
    assert cooperative.balance == cooperative_before


def test_free_with_band_a_placed_with_no_card_and_funded_in_full(territories):
    sondrio = territories["sondrio"]
    offer = education_offer(sondrio)
    user = with_band(sondrio, "A")
    budget_before = budget(sondrio)
    client = at_payment(sondrio, user, offer)
    page = client.get("/shop/checkout/payment-details/").text
    assert "Gratuito con la fascia A" in page and 'id="card-element"' not in page

    data = {"action": "place_order", "wallets": "", "bands": shown(page, "bands")}
    client.post("/shop/checkout/preview/", data)
    client.post("/shop/checkout/preview/", data)  # a double submit places one order

    order = Order.objects.get(user=user)
    assert order.total_incl_tax == 0
    assert budget(sondrio) == budget_before - offer.price
    assert spent_account(fund(sondrio), offer.partner).balance >= offer.price


# -- fallbacks -----------------------------------------------------------------------------


def test_an_expired_band_gives_the_full_price_with_a_notice(territories):
    sondrio = territories["sondrio"]
    offer = education_offer(sondrio)
    user = with_band(sondrio, "B")
    CitizenBand.objects.filter(citizen=user).update(
        expires_on=timezone.localdate() - timedelta(days=1)
    )

    page = signed_in(sondrio, user).get(offer.product.get_absolute_url()).text

    assert "fascia B" not in page
    assert "La tua fascia di reddito è scaduta" in page
    assert money_text(offer.price) in page


def test_another_portals_band_gives_the_full_price_with_a_notice(territories):
    sondrio, napoli = territories["sondrio"], territories["napoli"]
    napoli_band = IncomeBand.objects.create(territory=napoli, code="A", label="ISEE basso")
    Reduction.objects.create(
        territory=napoli,
        band=napoli_band,
        categories=["educazione"],
        percent_off=100,
        programme=fund(sondrio),  # the programme does not matter: never applied here
    )
    user = citizen()
    set_band(
        user,
        napoli,
        napoli_band,
        actor=None,
        expires_on=timezone.localdate() + timedelta(days=30),
        reference="ISEE 2026 protocollo INPS-1",
        social_point=None,
    )
    offer = education_offer(sondrio)

    page = signed_in(sondrio, user).get(offer.product.get_absolute_url()).text

    assert "Gratuito" not in page.split('id="buy-heading"')[1][:1500]
    assert "verificata su un altro portale" in page
    assert money_text(offer.price) in page


def test_a_fund_with_too_little_left_gives_the_full_price_with_a_notice(territories):
    sondrio = territories["sondrio"]
    offer = education_offer(sondrio)
    user = with_band(sondrio, "B")
    drain_budget(sondrio, leave=Decimal("1.00"))

    page = signed_in(sondrio, user).get(offer.product.get_absolute_url()).text

    assert "−50%" not in page
    assert "non ha più abbastanza fondi" in page
    assert money_text(offer.price) in page


def drain_budget(territory, leave: Decimal) -> None:
    account = Account.objects.get(pk=fund(territory).budget_account_id)
    sink = Account.objects.create(name="elsewhere", kind=Account.Kind.INCOME)
    if account.balance > leave:
        transfer(account, sink, account.balance - leave, kind="test-drain")


@pytest.mark.usefixtures("stripe_settings")
def test_a_band_expired_after_the_payment_page_is_shown_again_not_charged(territories):
    sondrio = territories["sondrio"]
    offer = education_offer(sondrio)
    user = with_band(sondrio, "B")
    budget_before = budget(sondrio)
    client = at_payment(sondrio, user, offer)
    page = client.get("/shop/checkout/payment-details/").text  # shows the half price
    CitizenBand.objects.filter(citizen=user).update(
        expires_on=timezone.localdate() - timedelta(days=1)
    )

    status, answer = pay_by_card(client, page)

    assert status == 409 and answer["reload"] == "/shop/checkout/payment-details/"
    assert not Order.objects.filter(user=user).exists()
    assert not StripePayment.objects.filter(user=user).exists()
    assert budget(sondrio) == budget_before
    again = client.get(answer["reload"]).text
    assert "I prezzi sono cambiati" in again and money_text(offer.price) in again
    assert "scaduta" in again


def test_a_fund_run_out_after_the_payment_page_is_shown_again_not_placed(territories):
    sondrio = territories["sondrio"]
    offer = education_offer(sondrio)
    user = with_band(sondrio, "A")
    client = at_payment(sondrio, user, offer)
    page = client.get("/shop/checkout/payment-details/").text  # free
    drain_budget(sondrio, leave=Decimal("0.50"))

    data = {"action": "place_order", "wallets": "", "bands": shown(page, "bands")}
    answer = client.post("/shop/checkout/preview/", data)

    assert not Order.objects.filter(user=user).exists()
    assert answer.status_code == 200 and "I prezzi sono cambiati" in answer.text
    assert money_text(offer.price) in answer.text  # the full price, shown before any charge
    assert 'id="card-element"' in answer.text
    assert not Hold.objects.filter(reference__contains=":band:").exists()


# -- query counts ----------------------------------------------------------------------------


def test_a_band_costs_catalogue_product_and_basket_at_most_one_query_more(territories):
    sondrio = territories["sondrio"]
    offer = education_offer(sondrio)
    plain, banded = citizen(), with_band(sondrio, "B")
    counts = {}
    for who, user in (("plain", plain), ("band", banded)):
        client = signed_in(sondrio, user)
        client.post(f"/shop/basket/add/{offer.product_id}/", {"quantity": 1})
        for name, path in (
            ("catalogue", "/shop/catalogue/"),
            ("product", offer.product.get_absolute_url()),
            ("basket", "/shop/basket/"),
        ):
            cold, warm, html = page_queries(client, path)
            counts[(who, name)] = (cold, warm)
            assert ("fascia B" in html) == (who == "band"), (who, name)
    print("query counts (rendered afresh, served again):", counts)
    for name in ("catalogue", "product", "basket"):
        plain_cold, plain_warm = counts[("plain", name)]
        band_cold, band_warm = counts[("band", name)]
        assert band_warm - plain_warm == 1, (name, counts)
        assert band_cold - plain_cold <= (3 if name == "catalogue" else 2), (name, counts)


# Served again, a band costs one query: the band, its reductions and budgets. Rendered afresh
# (after a publish), one more: the priced products' category slugs (all of each product's,
# as its page matches them), then kept until the portal's generation changes; the catalogue,
# with a service in the basket, reads those of the basket's lines and of the page's cards
# apart (two).


# -- the same price everywhere ----------------------------------------------------------------


def test_a_service_of_several_categories_costs_the_same_on_its_card_and_its_page(territories):
    """A service whose first category is not reduced but another is: its card in the
    catalogue shows the band price its page shows (both match all its categories)."""
    sondrio = territories["sondrio"]
    offer = education_offer(sondrio)
    Category = get_model("catalogue", "Category")
    ProductCategory = get_model("catalogue", "ProductCategory")
    reduced = {s for r in Reduction.objects.filter(territory=sondrio) for s in r.categories}
    education = Category.objects.get(slug="educazione")
    first = (
        Category.objects.filter(depth=1, path__lt=education.path)
        .exclude(slug__in=reduced)
        .order_by("path")
        .first()
    )
    ProductCategory.objects.create(product=offer.product, category=first)
    Product = get_model("catalogue", "Product")
    Product.objects.filter(pk=offer.product_id).update(date_updated=timezone.now())  # featured
    client = signed_in(sondrio, with_band(sondrio, "B"))
    half = money_text((offer.price / 2).quantize(Decimal("0.01")))

    page = client.get(offer.product.get_absolute_url()).text
    assert "−50% con la fascia B" in page and half in page
    for path in ("/shop/catalogue/", "/"):
        listing = client.get(path).text
        card = listing[listing.index(f'data-service="{offer.product.upc}"') :][:3000]
        assert first.name in card, path  # the card names its first category
        assert "−50% con la fascia B" in card and half in card, path


def test_each_package_choice_shows_its_band_price_and_why_as_the_basket_charges_it(territories):
    sondrio = territories["sondrio"]
    one = StockRecord.objects.filter(
        territory=sondrio, product__structure="child", available=True, price__gt=0
    ).first()
    service = one.product.parent
    other = service.children.exclude(pk=one.product_id).first()
    StockRecord.objects.create(  # a second package sold here
        product=other,
        partner=one.partner,
        territory=sondrio,
        partner_sku=f"{one.partner_sku}-band-test",
        price=Decimal("81.00"),
        available=True,
    )
    packages = StockRecord.objects.filter(territory=sondrio, product__parent=service).order_by(
        "product__sessions", "pk"
    )
    Category = get_model("catalogue", "Category")
    service.categories.add(Category.objects.get(slug="educazione"))  # reduced by band B
    client = signed_in(sondrio, with_band(sondrio, "B"))

    page = client.get(service.get_absolute_url()).text
    for offer in packages:
        label = page[page.index(f'for="package-{offer.product_id}"') :]
        label = label[: label.index("</label>")]
        half = money_text((offer.price / 2).quantize(Decimal("0.01")))
        assert half in label and money_text(offer.price) in label, label  # reduced and full
        assert "−50% con la fascia B" in label, label

    offer = packages[1]
    client.post(f"/shop/basket/add/{service.pk}/", {"quantity": 1, "child_id": offer.product_id})
    basket = client.get("/shop/basket/").text
    assert money_text((offer.price / 2).quantize(Decimal("0.01"))) in basket
    assert "−50% con la fascia B" in basket


def test_the_cooperatives_email_says_per_line_what_the_fund_pays_and_what_the_buyer(
    territories, django_capture_on_commit_callbacks
):
    sondrio = territories["sondrio"]
    offer = education_offer(sondrio)
    user = with_band(sondrio, "A")
    staff = {u.email for u in offer.partner.users.all()}
    assert staff
    client = at_payment(sondrio, user, offer)
    page = client.get("/shop/checkout/payment-details/").text
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/shop/checkout/preview/",
            {"action": "place_order", "wallets": "", "bands": shown(page, "bands")},
        )

    order = Order.objects.get(user=user)
    told = [m for m in mail.outbox if set(m.to) & staff]
    assert told and order.number in told[0].subject
    body = told[0].body
    line = body[body.index(offer.product.get_title()) :]
    line = line[: line.index("\n*") if "\n*" in line else None]
    full = money_text(offer.price)
    assert f"Riduzione per fascia di reddito: −{full}" in line, body
    assert "Fondo per i servizi a prezzo ridotto" in line
    assert f"Ricevete 0,00\xa0€ dall'acquirente e {full}\xa0€ da Fondo" in line, body
