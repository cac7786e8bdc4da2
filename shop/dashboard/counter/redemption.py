"""Spending a paper letter's credit at a cooperative's counter: one ledger spend, one order.

:func:`redeem` moves the amount from the resident's programme wallet to the programme's
"spent" account of the cooperative (``portal.programmes.spending.spend``) and records it as
an Oscar order of one line of that cooperative, paid by a payment source of the programme,
in one transaction. The form's token makes both idempotent: the transfer's key and the
order's number come from it, so a double submit moves nothing twice and shows the same
receipt.
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _
from oscar.apps.partner.prices import FixedPrice
from oscar.core.loading import get_class, get_model
from oscar.core.prices import Price

from portal.ledger.transfers import lock_accounts
from portal.programmes import spending
from portal.programmes.models import LetterCode, Programme, Wallet
from shop.partner.strategy import TerritoryStrategy

Basket = get_model("basket", "Basket")
Category = get_model("catalogue", "Category")
Order = get_model("order", "Order")
OrderNote = get_model("order", "OrderNote")
PaymentEventType = get_model("order", "PaymentEventType")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")
StockRecord = get_model("partner", "StockRecord")
OrderCreator = get_class("order.utils", "OrderCreator")
Free = get_class("shipping.methods", "Free")

NUMBER_PREFIX = "SPORTELLO-"
PAID_EVENT = "Paid"


def order_number(token: str) -> str:
    """The order number of the counter form submission ``token`` (32 hex digits)."""
    return f"{NUMBER_PREFIX}{token[:16].upper()}"


def _category_slugs(offers) -> dict[int, set[str]]:
    """Each product's category slugs, ancestors included (two queries for all offers)."""
    paths: dict[int, set[str]] = {}
    for offer in offers:
        product = offer.product
        own = list(product.categories.all())
        if product.parent_id:
            own += list(product.parent.categories.all())
        paths[product.pk] = {c.path for c in own}
    slugs = dict(
        Category.objects.filter(
            path__in={a for ps in paths.values() for p in ps for a in _ancestors(p)}
        ).values_list("path", "slug")
    )
    return {
        pk: {slugs[a] for p in ps for a in _ancestors(p) if a in slugs} for pk, ps in paths.items()
    }


def _ancestors(path: str) -> list[str]:
    """A category's path and its ancestors' (treebeard's materialised path)."""
    step = Category.steplen
    return [path[:i] for i in range(step, len(path) + 1, step)]


def counter_offers(user, territory, programme: Programme) -> list:
    """The services ``user``'s cooperatives offer in ``territory`` that ``programme`` pays for."""
    offers = list(
        StockRecord.objects.filter(partner__users=user, territory=territory, available=True)
        .select_related("partner", "product__product_class", "product__parent__product_class")
        .prefetch_related("product__categories", "product__parent__categories")
        .order_by("product__title", "pk")
    )
    slugs = _category_slugs(offers)
    prefetch_related_objects([programme], "cooperatives")  # may_buy reads them for each offer
    return [
        offer
        for offer in offers
        if spending.may_buy(programme, offer.product, offer.partner, slugs[offer.product_id])
    ]


class CounterStrategy(TerritoryStrategy):
    """The one service chosen at the counter, from that cooperative, at the amount entered."""

    def __init__(self, offer, amount: Decimal):
        super().__init__(territory=offer.territory)
        self.offer, self.amount = offer, amount

    def select_stockrecord(self, product):
        return self.offer if product.pk == self.offer.product_id else None

    def pricing_policy(self, product, stockrecord):
        if stockrecord is None:
            return super().pricing_policy(product, stockrecord)
        return FixedPrice(stockrecord.price_currency, excl_tax=self.amount, tax=Decimal("0.00"))


def _payment_source_type(programme: Programme):
    source_type, _created = SourceType.objects.get_or_create(
        code=f"programma-{programme.pk}",
        defaults={"name": f"{programme.title} ({programme.territory.name})"[:128]},
    )
    return source_type


def redeem(
    letter: LetterCode,
    wallet: Wallet,
    offer,
    amount: Decimal,
    *,
    staff,
    token: str,
    territory,
    site=None,
):
    """Spend ``amount`` of ``wallet`` on ``offer`` (a stock record of the staff's cooperative)
    and return the order; the same ``token`` again returns the same order, moving nothing.

    Raises :class:`~portal.ledger.transfers.LedgerError` (more than the balance, an expired
    or other portal's credit) with nothing written.
    """
    number = order_number(token)
    application = letter.application
    programme = wallet.programme
    with transaction.atomic():
        lock_accounts(wallet.account)  # the same letter's submissions queue here
        if (done := Order.objects.filter(number=number).first()) is not None:
            return done
        spending.spend(
            wallet,
            amount,
            offer.partner,
            reference=f"order:{number}",
            key=f"counter:{token}",
            territory=territory,
        )
        basket = Basket.objects.create(owner=application.applicant, territory=territory)
        basket.strategy = CounterStrategy(offer, amount)
        basket.add_product(offer.product, 1)
        method = Free()
        charge = method.calculate(basket)
        total = Price(currency=basket.currency, excl_tax=amount, incl_tax=amount)
        order = OrderCreator().place_order(
            basket=basket,
            total=total,
            shipping_method=method,
            shipping_charge=charge,
            user=application.applicant,
            order_number=number,
            territory=territory,
            **({"site": site} if site is not None else {}),
        )
        basket.submit()
        reference = f"{application.protocol} …{letter.code_last4}"
        Source.objects.create(
            order=order,
            source_type=_payment_source_type(programme),
            currency=order.currency,
            amount_allocated=amount,
            amount_debited=amount,
            reference=reference,
        )
        event_type, _created = PaymentEventType.objects.get_or_create(name=PAID_EVENT)
        order.payment_events.create(event_type=event_type, amount=amount, reference=reference)
        OrderNote.objects.create(
            order=order,
            user=staff,
            note_type=OrderNote.SYSTEM,
            message=_("Redeemed at the counter of %(cooperative)s with the letter of %(protocol)s.")
            % {"cooperative": offer.partner.name, "protocol": application.protocol},
        )
    return order
