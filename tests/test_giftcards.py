"""Gift vouchers: the product per portal, buying one, issuing it once, e-mailing it on its
day, spending it (partly, within its cooperative) and checking its balance."""

import math
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.sites.models import Site as DjangoSite
from django.core import mail
from django.core.cache import cache, caches
from django.core.management import call_command
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from portal.ledger.models import Account, Hold, Transfer
from portal.ledger.transfers import InsufficientFunds, transfer
from shop.giftcards import codes, products
from shop.giftcards.accounts import sales_account, spent_account
from shop.giftcards.delivery import send_due
from shop.giftcards.issuing import issue_for_order
from shop.giftcards.models import GiftCard, VoucherProduct
from shop.giftcards.redemption import (
    GiftCardNotFound,
    TenderLine,
    capture_for_order,
    find_card,
    hold_for_order,
    plan_tender,
    release_for_order,
)
from shop.partner.strategy import TerritoryStrategy
from tests.conftest import portal_client
from tests.test_ledger import in_own_connection, postgres_only, run_at_once
from tests.test_spec_check import VALID, write_spec

Basket = get_model("basket", "Basket")
Line = get_model("basket", "Line")
Option = get_model("catalogue", "Option")
Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
OrderCreator = get_class("order.utils", "OrderCreator")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
NoShippingRequired = get_class("shipping.methods", "NoShippingRequired")

GROUPED = re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{2}$")


@pytest.fixture(autouse=True)
def fresh_tries():
    """The code-try limit lives in the "throttle" cache, shared by every test of the process."""
    caches["throttle"].clear()
    yield
    caches["throttle"].clear()


def voucher_product(slug: str, cooperative: str = "") -> Product:
    upc = f"buono-regalo-{slug}" + (f"-{cooperative}" if cooperative else "")
    return Product.objects.get(upc=upc)


def new_card(territory, amount="50.00", cooperative=None, expires_on=None, **kwargs):
    """A card issued and funded as the shop does, with its plain code for the test."""
    code = codes.generate_code()
    normalised = codes.normalise(code)
    today = timezone.localdate()
    account = Account.objects.create(name="card", kind="giftcard", territory=territory)
    card = GiftCard.objects.create(
        territory=territory,
        cooperative=cooperative,
        account=account,
        code_digest=codes.digest(normalised),
        code_last4=normalised[-4:],
        initial_amount=Decimal(amount),
        expires_on=expires_on or today + timedelta(days=365),
        recipient_name="Rita",
        recipient_email="rita@example.it",
        send_on=today,
        sent_at=timezone.now(),
        **kwargs,
    )
    transfer(sales_account(territory), account, Decimal(amount), kind="giftcard-issue")
    return card, code


def voucher_mails() -> list:
    """The e-mails to the voucher's recipient (the order's own e-mails go to the buyer)."""
    return [m for m in mail.outbox if m.to == ["giulia@example.it"]]


def balance(card: GiftCard) -> Decimal:
    return Account.objects.get(pk=card.account_id).balance


def voucher_options(**values) -> list[dict]:
    today = timezone.localdate().isoformat()
    values = {
        products.AMOUNT: "50.00",
        products.RECIPIENT_NAME: "Giulia Rossi",
        products.RECIPIENT_EMAIL: "giulia@example.it",
        products.MESSAGE: "Buon compleanno, nonna!",
        products.FROM: "Marco",
        products.SEND_ON: today,
        **values,
    }
    options = {o.code: o for o in Option.objects.filter(code__in=values)}
    return [{"option": options[code], "value": value} for code, value in values.items()]


def place_order(territory, product, quantity=1, **option_values):
    """Place an order for a voucher as the checkout does (Oscar's OrderCreator)."""
    basket = Basket.objects.create(territory=territory)
    basket.strategy = TerritoryStrategy(territory=territory)
    basket.add_product(product, quantity, voucher_options(**option_values))
    method = NoShippingRequired()
    charge = method.calculate(basket)
    total = OrderTotalCalculator().calculate(basket, charge)
    return OrderCreator().place_order(
        basket=basket,
        total=total,
        shipping_method=method,
        shipping_charge=charge,
        guest_email="marco@example.it",
        territory=territory,
        site=DjangoSite.objects.get(domain=f"{territory.slug}.localhost"),
    )


# --- codes ----------------------------------------------------------------------------------


def test_codes_are_long_random_unambiguous_and_grouped():
    assert math.log2(len(codes.ALPHABET)) * codes.LENGTH == codes.ENTROPY_BITS
    assert codes.ENTROPY_BITS >= 80
    assert not set("01OIL") & set(codes.ALPHABET)
    assert len(set(codes.ALPHABET)) == len(codes.ALPHABET)
    made = {codes.generate_code() for _ in range(2000)}
    assert len(made) == 2000
    for code in made:
        assert GROUPED.match(code), code
        assert len(codes.normalise(code)) == codes.LENGTH
        assert set(codes.normalise(code)) <= set(codes.ALPHABET)


def test_a_code_is_found_however_it_is_typed():
    code = codes.generate_code()
    plain = code.replace("-", "")
    for typed in (code, code.lower(), f"  {plain[:5]} {plain[5:]}  ", "-".join(plain)):
        assert codes.normalise(typed) == plain
    for wrong in ("", "ABC", plain[:-1], plain + "A", plain[:-1] + "0", plain[:-1] + "O"):
        assert codes.normalise(wrong) is None
    assert codes.digest(plain) != codes.digest(codes.normalise(codes.generate_code()))


# --- the product ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_portal_sells_its_own_voucher_only(territories):
    sondrio_voucher = voucher_product("sondrio")
    sondrio = portal_client("sondrio").get(sondrio_voucher.get_absolute_url())
    assert sondrio.status_code == 200
    page = sondrio.content.decode()
    assert "Buono regalo SondrioWelfare" in page
    assert "25,00" in page
    assert 'name="giftcard_recipient_email"' in page
    assert portal_client("rho").get(sondrio_voucher.get_absolute_url()).status_code == 404
    assert "Buono regalo SondrioWelfare" in portal_client("sondrio").get("/shop/catalogue/").text
    assert "Buono regalo SondrioWelfare" not in portal_client("rho").get("/shop/catalogue/").text
    assert portal_client("rho").get(voucher_product("rho").get_absolute_url()).status_code == 200
    # the bookshop voucher of Sondrio is sold by the bookshop and tied to it
    bookshop = VoucherProduct.objects.get(product=voucher_product("sondrio", "tiralistori"))
    assert bookshop.cooperative.code == "tiralistori"
    assert bookshop.territory == territories["sondrio"]
    assert VoucherProduct.objects.get(product=sondrio_voucher).cooperative is None
    assert set(
        StockRecord.objects.filter(product__voucher__isnull=False).values_list(
            "territory__slug", flat=True
        )
    ) == {"sondrio", "napoli", "rho", "cremona", "padova"}


@pytest.mark.django_db
def test_a_spec_naming_an_unknown_cooperative_for_a_voucher_is_refused(tmp_path, capsys):
    from django.core.management.base import CommandError

    spec = VALID + '\n[[gift_vouchers]]\ncooperative = "nessuna"\n'
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("portal", "build", str(write_spec(tmp_path, spec)))
    assert "gift_vouchers[0].cooperative: unknown cooperative 'nessuna'" in capsys.readouterr().err
    assert not Product.objects.filter(upc__startswith="buono-regalo-lecco").exists()


# --- buying ---------------------------------------------------------------------------------


def add_voucher(client, product, **fields):
    data = {
        "quantity": 1,
        products.AMOUNT: "50.00",
        products.RECIPIENT_NAME: "Giulia Rossi",
        products.RECIPIENT_EMAIL: "giulia@example.it",
        products.SEND_ON: timezone.localdate().isoformat(),
        products.MESSAGE: "Buon compleanno!",
        **fields,
    }
    return client.post(f"/shop/basket/add/{product.pk}/", data, follow=True)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields, price",
    [
        ({}, "50,00"),
        ({products.AMOUNT: "100.00"}, "100,00"),
        ({products.AMOUNT: "other", "giftcard_other_amount": "42.50"}, "42,50"),
    ],
)
def test_a_voucher_costs_the_amount_chosen(territories, fields, price):
    client = portal_client("sondrio")
    add_voucher(client, voucher_product("sondrio"), **fields)
    line = Line.objects.get(product=voucher_product("sondrio"))
    assert line.attributes.count() >= 4
    page = client.get("/shop/basket/").content.decode()
    assert price in page
    assert "aumentato" not in page and "increased" not in page  # no "price changed" warning


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields, message",
    [
        ({products.AMOUNT: "other", "giftcard_other_amount": "5"}, "500"),
        ({products.AMOUNT: "other", "giftcard_other_amount": "5000"}, "500"),
        ({products.AMOUNT: "other", "giftcard_other_amount": ""}, ""),
        ({products.AMOUNT: "33.00"}, ""),
        ({products.RECIPIENT_EMAIL: "non-una-email"}, ""),
        ({products.SEND_ON: "2001-01-01"}, ""),
    ],
)
def test_a_bad_voucher_form_adds_nothing(territories, fields, message):
    client = portal_client("sondrio")
    response = add_voucher(client, voucher_product("sondrio"), **fields)
    assert not Line.objects.filter(product=voucher_product("sondrio")).exists()
    page = response.content.decode()
    assert "alert-danger" in page
    assert message in page


# --- issuing and sending --------------------------------------------------------------------


@pytest.mark.django_db
def test_placing_an_order_issues_the_voucher_once_and_mails_it_once(
    territories, django_capture_on_commit_callbacks
):
    sondrio = territories["sondrio"]
    with django_capture_on_commit_callbacks(execute=True):
        order = place_order(sondrio, voucher_product("sondrio"), **{products.AMOUNT: "42.50"})
    card = GiftCard.objects.get(order_line__order=order)
    assert card.initial_amount == Decimal("42.50")
    assert balance(card) == Decimal("42.50")
    assert (card.territory, card.cooperative) == (sondrio, None)
    assert card.expires_on == timezone.localdate() + timedelta(days=365)

    with django_capture_on_commit_callbacks(execute=True):
        again = issue_for_order(order)
    assert [c.pk for c in again] == [card.pk]
    assert GiftCard.objects.filter(order_line__order=order).count() == 1
    assert Transfer.objects.filter(destination=card.account).count() == 1

    assert len(voucher_mails()) == 1
    email = voucher_mails()[0]
    assert "Giulia Rossi" in email.body and "Buon compleanno, nonna!" in email.body
    # where to check the balance: the buyer's portal's own balance page
    balance_page = f"{sondrio.site.root_url}/shop/giftcards/balance/"
    assert balance_page.startswith("http://sondrio.localhost") and balance_page in email.body
    sent_code = re.search(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){3}-[A-Z2-9]{2}", email.body).group(0)
    assert find_card(sondrio, sent_code).pk == card.pk
    card.refresh_from_db()
    assert card.sent_at is not None and card.code == ""  # the plain code is gone once sent
    assert sent_code not in str(GiftCard.objects.filter(pk=card.pk).values().get())


@pytest.mark.django_db
def test_two_vouchers_in_one_line_are_two_cards(territories, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = place_order(territories["rho"], voucher_product("rho"), quantity=2)
    cards = GiftCard.objects.filter(order_line__order=order).order_by("sequence")
    assert [c.sequence for c in cards] == [1, 2]
    assert len({c.code_digest for c in cards}) == 2
    assert len(voucher_mails()) == 2


@pytest.mark.django_db
def test_a_voucher_for_a_later_day_is_mailed_on_that_day_once(
    territories, django_capture_on_commit_callbacks
):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        order = place_order(
            territories["sondrio"],
            voucher_product("sondrio", "tiralistori"),
            **{products.SEND_ON: tomorrow.isoformat()},
        )
    card = GiftCard.objects.get(order_line__order=order)
    assert card.cooperative.code == "tiralistori"
    assert voucher_mails() == []
    assert send_due() == 0
    assert send_due(today=tomorrow) == 1
    assert send_due(today=tomorrow) == 0
    assert len(voucher_mails()) == 1 and "Tiralistori" in voucher_mails()[0].body


@pytest.mark.django_db
def test_the_cron_command_sends_what_is_due(territories, capsys):
    tomorrow = timezone.localdate() + timedelta(days=1)
    order = place_order(
        territories["napoli"], voucher_product("napoli"), **{products.SEND_ON: tomorrow.isoformat()}
    )
    GiftCard.objects.filter(order_line__order=order).update(send_on=timezone.localdate())
    call_command("send_due_giftcards")
    call_command("send_due_giftcards")
    assert "1 gift voucher(s) sent." in capsys.readouterr().out
    assert len(voucher_mails()) == 1


# --- spending -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_wrong_expired_and_foreign_codes_get_the_same_error(territories):
    sondrio, rho = territories["sondrio"], territories["rho"]
    _card, code = new_card(sondrio)
    _old, expired = new_card(sondrio, expires_on=timezone.localdate() - timedelta(days=1))
    messages = set()
    for territory, typed in ((sondrio, codes.generate_code()), (sondrio, expired), (rho, code)):
        with pytest.raises(GiftCardNotFound) as error:
            find_card(territory, typed)
        messages.add(str(error.value))
    assert len(messages) == 1
    assert find_card(sondrio, code.lower().replace("-", " ")).pk == _card.pk


@pytest.mark.django_db
def test_partial_use_leaves_the_rest(territories):
    sondrio = territories["sondrio"]
    card, _code = new_card(sondrio, "50.00")
    plan = plan_tender(Decimal("30.00"), [card], [TenderLine(None, Decimal("30.00"))])
    assert (plan.covered, plan.remainder) == (Decimal("30.00"), Decimal("0.00"))
    hold_for_order("100001", plan)
    hold_for_order("100001", plan)  # a double submit holds once
    assert balance(card) == Decimal("20.00")
    capture_for_order("100001")
    capture_for_order("100001")
    assert balance(card) == Decimal("20.00")
    assert Account.objects.get(pk=spent_account(sondrio).pk).balance == Decimal("30.00")

    card.refresh_from_db()
    plan = plan_tender(Decimal("35.00"), [card], [TenderLine(None, Decimal("35.00"))])
    assert (plan.covered, plan.remainder) == (Decimal("20.00"), Decimal("15.00"))


@pytest.mark.django_db
def test_a_failed_payment_gives_the_money_back(territories):
    card, _code = new_card(territories["rho"], "25.00")
    plan = plan_tender(Decimal("40.00"), [card], [TenderLine(None, Decimal("40.00"))])
    hold_for_order("100002", plan)
    assert balance(card) == 0
    release_for_order("100002")
    release_for_order("100002")
    assert balance(card) == Decimal("25.00")
    assert capture_for_order("100002") == []
    assert balance(card) == Decimal("25.00")


@pytest.mark.django_db
def test_a_bookshop_voucher_pays_only_for_the_bookshop(territories):
    sondrio = territories["sondrio"]
    bookshop = Partner.objects.get(code="tiralistori")
    forme = Partner.objects.get(code="forme")
    limited, _ = new_card(sondrio, "50.00", cooperative=bookshop)
    general, _ = new_card(sondrio, "10.00")
    lines = [TenderLine(forme.pk, Decimal("60.00")), TenderLine(bookshop.pk, Decimal("28.00"))]
    plan = plan_tender(Decimal("88.00"), [general, limited], lines)
    assert plan.amount_for(limited) == Decimal("28.00")
    assert plan.amount_for(general) == Decimal("10.00")
    assert plan.remainder == Decimal("50.00")
    only_forme = plan_tender(Decimal("60.00"), [limited], lines[:1])
    assert only_forme.covers == [] and only_forme.remainder == Decimal("60.00")


@pytest.mark.django_db
def test_a_hold_fails_whole_when_a_card_was_spent_meanwhile(territories):
    sondrio = territories["sondrio"]
    first, _ = new_card(sondrio, "20.00")
    second, _ = new_card(sondrio, "20.00")
    plan = plan_tender(Decimal("40.00"), [first, second], [TenderLine(None, Decimal("40.00"))])
    hold_for_order("100003", plan_tender(Decimal("5"), [second], []))  # another checkout
    holds = Hold.objects.count()
    with pytest.raises(InsufficientFunds):
        hold_for_order("100004", plan)
    assert (balance(first), balance(second)) == (Decimal("20.00"), Decimal("15.00"))
    assert Hold.objects.count() == holds


# --- pages ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_balance_page_shows_the_balance_of_a_right_code_only(territories):
    card, code = new_card(territories["sondrio"], "50.00")
    client = portal_client("sondrio")
    assert client.get("/shop/giftcards/balance/").status_code == 200
    right = client.post("/shop/giftcards/balance/", {"code": code.lower()})
    assert right.status_code == 200
    assert "50,00" in right.content.decode() and card.code_last4 in right.content.decode()

    wrong = client.post("/shop/giftcards/balance/", {"code": codes.generate_code()})
    foreign = portal_client("rho").post("/shop/giftcards/balance/", {"code": code})
    for response in (wrong, foreign):
        page = response.content.decode()
        assert response.status_code == 200
        assert str(GiftCardNotFound.message) in page
        # no voucher is shown (the form echoes the typed code, which may share characters)
        assert 'id="giftcard-balance"' not in page and f"…{card.code_last4}" not in page
        assert "50,00" not in page


@pytest.mark.django_db
def test_the_eleventh_try_is_refused(territories):
    _card, code = new_card(territories["sondrio"])
    client = portal_client("sondrio")
    for _ in range(10):
        assert client.post("/shop/giftcards/balance/", {"code": "NOPE"}).status_code == 200
    refused = client.post("/shop/giftcards/balance/", {"code": code})
    assert refused.status_code == 429
    assert "50,00" not in refused.content.decode()
    assert client.post("/shop/giftcards/apply/", {"code": code}).status_code == 429


@pytest.mark.django_db
def test_evicting_the_page_cache_does_not_reset_the_wrong_codes(territories):
    """The counters have a cache of their own: publishing (or memory pressure) empties the
    fragments and pages, and a guesser must not get ten fresh tries from it."""
    _card, code = new_card(territories["sondrio"])
    client = portal_client("sondrio")
    for _ in range(10):
        client.post("/shop/giftcards/balance/", {"code": "NOPE"})
    cache.clear()  # the "default" cache: fragments, pages, generations
    assert client.post("/shop/giftcards/balance/", {"code": code}).status_code == 429


@pytest.mark.django_db
def test_the_balance_form_needs_its_csrf_token(territories):
    _card, code = new_card(territories["sondrio"])
    client = portal_client("sondrio", enforce_csrf_checks=True)
    assert client.post("/shop/giftcards/balance/", {"code": code}).status_code == 403


@pytest.mark.django_db
def test_a_voucher_applied_in_the_basket_shows_what_it_pays(territories):
    sondrio = territories["sondrio"]
    card, code = new_card(sondrio, "20.00")
    client = portal_client("sondrio")
    service = (
        StockRecord.objects.filter(territory=sondrio, price__gt=20, product__voucher=None)
        .order_by("price")
        .first()
    )
    client.post(f"/shop/basket/add/{service.product_id}/", {"quantity": 1})

    page = client.post("/shop/giftcards/apply/", {"code": code}, follow=True).content.decode()
    assert card.code_last4 in page
    assert "20,00" in page  # what the voucher pays
    left = f"{service.price - 20:.2f}".replace(".", ",")
    assert left in page  # what is left for the card

    page = client.post(f"/shop/giftcards/remove/{card.pk}/", follow=True).content.decode()
    assert f"…{card.code_last4}" not in page.split("giftcards-heading")[1].split("</form>")[0]

    rho = portal_client("rho")
    page = rho.post("/shop/giftcards/apply/", {"code": code}, follow=True).content.decode()
    assert str(GiftCardNotFound.message) in page


# --- concurrency ----------------------------------------------------------------------------


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db
def test_twenty_concurrent_checkouts_never_spend_more_than_the_card(territories):
    sondrio = territories["sondrio"]
    card, _code = in_own_connection(lambda: new_card(sondrio, "50.00"))
    try:
        plan = plan_tender(Decimal("10.00"), [card], [TenderLine(None, Decimal("10.00"))])
        results = run_at_once(20, lambda i: hold_for_order(f"conc-{i}", plan))
        held = [r for r in results if isinstance(r, list)]
        refused = [r for r in results if isinstance(r, InsufficientFunds)]
        assert (len(held), len(refused)) == (5, 15), results
        assert balance(card) == 0
        assert sum(h.amount for h in Hold.objects.filter(source=card.account)) == Decimal("50")
    finally:

        def clean_up():
            holds = list(Hold.objects.filter(source=card.account))
            hold_accounts = [h.account_id for h in holds]
            Hold.objects.filter(pk__in=[h.pk for h in holds]).delete()
            Transfer.objects.filter(destination_id__in=[card.account_id, *hold_accounts]).delete()
            GiftCard.objects.filter(pk=card.pk).delete()
            Account.objects.filter(pk__in=[card.account_id, *hold_accounts]).delete()
            sales = sales_account(sondrio)
            if not Transfer.objects.filter(source=sales).exists():
                sales.delete()

        in_own_connection(clean_up)
