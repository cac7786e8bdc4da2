"""Demo orders for `make demo` (never used in production): something in every order list.

On each portal, cittadino@example.it has an order delivered a fortnight ago and one placed
three days ago whose lines are at their cooperatives (accepted, new); where a portal has two
cooperatives, that order has a line from each, so each cooperative's dashboard shows it with
its own line only. A guest (no account) ordered today. On Cremona, dipendente@example.it
booked home care for her mother in Sondrio: the line goes to a Sondrio cooperative.

Orders are placed as the checkout places them once the card has been paid (a basket, booking
details on its lines, Oscar's ``OrderCreator``, its ``order_placed`` signal routing the lines)
and their lines move through the cooperative's statuses with ``Line.set_status``. They carry
a card payment source without a Stripe payment behind it, so the dashboard offers no refund.
The e-mails these steps send are discarded. A portal where the demo citizen has orders
already is left alone: re-runnable.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site as DjangoSite
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from oscar.core.loading import get_class, get_model
from oscar.core.prices import Price

from portal.territories.models import Territory
from shop.booking.models import LineBooking
from shop.checkout.placement import CARD_SOURCE, PAID_EVENT
from shop.customer.demo import EMPLOYEE
from shop.customer.models import FamilyMember
from shop.partner.strategy import TerritoryStrategy

from . import statuses

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
PaymentEvent = get_model("order", "PaymentEvent")
PaymentEventType = get_model("order", "PaymentEventType")
Product = get_model("catalogue", "Product")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")
OrderCreator = get_class("order.utils", "OrderCreator")
OrderNumberGenerator = get_class("order.utils", "OrderNumberGenerator")
Free = get_class("shipping.methods", "Free")

CITIZEN = "cittadino@example.it"
GIFT_CLASS = "buono-regalo"  # gift vouchers issue codes when ordered: not in the demo's orders


@dataclass(frozen=True)
class Recipient:
    name: str
    address: str
    municipality: str
    phone: str
    territory: Territory
    relationship: str = ""


def _services_by_cooperative(territory: Territory) -> dict[int, list]:
    """The services a visitor can buy on ``territory``, by the cooperative that sells them."""
    strategy = TerritoryStrategy(territory=territory)
    found: dict[int, list] = {}
    products = (
        Product.objects.filter(stockrecords__territory=territory, is_public=True)
        .exclude(product_class__slug=GIFT_CLASS)
        .exclude(structure=Product.PARENT)
        .distinct()
        .order_by("title", "pk")
    )
    for product in products:
        info = strategy.fetch_for_product(product)
        if info.stockrecord is not None and info.availability.is_available_to_buy:
            found.setdefault(info.stockrecord.partner_id, []).append(product)
    return found


def place_basket(basket, *, user, number: str, guest_email: str = "") -> Order:
    """``basket`` placed as an order numbered ``number``, as the checkout places it once paid
    (Oscar's ``OrderCreator``: its ``order_placed`` signal routes the lines); free delivery."""
    shipping = Free()
    charge = shipping.calculate(basket)
    total = Price(
        currency=basket.currency,
        excl_tax=basket.total_excl_tax + charge.excl_tax,
        incl_tax=basket.total_incl_tax + charge.incl_tax,
    )
    order = OrderCreator().place_order(
        basket=basket,
        total=total,
        shipping_method=shipping,
        shipping_charge=charge,
        user=user,
        order_number=number,
        territory=basket.territory,
        site=DjangoSite.objects.filter(domain=basket.territory.site.hostname).first(),
        **({"guest_email": guest_email} if guest_email else {}),
    )
    basket.submit()
    return order


def _place(territory, products, *, user, guest_email, recipient, days_ago, moves) -> Order:
    basket = Basket.objects.create(owner=user, territory=territory)
    basket.strategy = TerritoryStrategy(territory=territory, user=user)
    for product in products:
        basket.add_product(product, 1)
    for line in basket.all_lines():
        LineBooking.objects.create(
            basket_line=line,
            beneficiary=LineBooking.RELATIVE if recipient.relationship else LineBooking.SELF,
            name=recipient.name,
            relationship=recipient.relationship,
            address=recipient.address,
            municipality=recipient.municipality,
            territory=recipient.territory,
            phone=recipient.phone,
            preferred_times="martedì o giovedì mattina",
            language=territory.default_language,
        )
    number = str(OrderNumberGenerator().order_number(basket))
    order = place_basket(basket, user=user, number=number, guest_email=guest_email)
    total = order.total_incl_tax
    reference = f"demo-{number}"
    order.sources.create(
        source_type=SourceType.objects.get_or_create(name=CARD_SOURCE)[0],
        currency=order.currency,
        amount_allocated=total,
        amount_debited=total,
        reference=reference,
    )
    PaymentEvent.objects.create(
        order=order,
        amount=total,
        reference=reference,
        event_type=PaymentEventType.objects.get_or_create(name=PAID_EVENT)[0],
    )
    for line, path in zip(order.lines.order_by("pk"), moves, strict=False):
        for status in path:
            line.set_status(status)
    Order.objects.filter(pk=order.pk).update(
        date_placed=timezone.now() - timedelta(days=days_ago, hours=2)
    )
    return order


def _first(services: dict[int, list], skip: int = 0) -> list:
    """One service from each cooperative (two from the only one), ``skip`` along each list."""
    lists = [products for products in services.values() if products]
    if len(lists) == 1:
        products = lists[0]
        return [products[skip % len(products)], products[(skip + 1) % len(products)]]
    return [products[skip % len(products)] for products in lists[:2]]


def load_orders(ensure_user) -> list[Order]:
    """The demo's orders on every portal where the demo citizen has none; the orders made."""
    User = get_user_model()
    ensure_user(CITIZEN)
    citizen = User.objects.get(email__iexact=CITIZEN)
    made: list[Order] = []
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for territory in Territory.objects.select_related("site").order_by("slug"):
            if Order.objects.filter(territory=territory, user=citizen).exists():
                continue
            services = _services_by_cooperative(territory)
            if not services:
                continue
            with transaction.atomic():
                made.extend(_load_territory(territory, services, citizen))
    return made


def _load_territory(territory: Territory, services: dict[int, list], citizen) -> list[Order]:
    town = (territory.municipalities or [territory.name])[0]
    home = Recipient("Giulia Bianchi", "Via Roma 1", town, "+39 333 000 0000", territory)
    made = [
        _place(
            territory,
            _first(services)[:1],
            user=citizen,
            guest_email="",
            recipient=home,
            days_ago=14,
            moves=[(statuses.ACCEPTED, statuses.DELIVERED)],
        ),
        _place(
            territory,
            _first(services, skip=1),
            user=citizen,
            guest_email="",
            recipient=home,
            days_ago=3,
            moves=[(statuses.ACCEPTED,), ()],
        ),
        _place(
            territory,
            _first(services, skip=2)[:1],
            user=None,
            guest_email=f"famiglia.{territory.slug}@example.it",
            recipient=Recipient(
                "Luca Verdi", "Via Garibaldi 8", town, "+39 333 111 1111", territory
            ),
            days_ago=0,
            moves=[()],
        ),
    ]
    mother = FamilyMember.objects.filter(owner__email__iexact=EMPLOYEE).first()
    if territory.slug == "cremona" and mother is not None:
        home_care = Product.objects.filter(
            upc="assistenza-domiciliare-asa", stockrecords__territory=mother.territory
        ).first()
        if home_care is not None:
            made.append(
                _place(
                    territory,
                    [home_care],
                    user=mother.owner,
                    guest_email="",
                    recipient=Recipient(
                        mother.name,
                        mother.address,
                        mother.municipality,
                        mother.phone,
                        mother.territory,
                        relationship=mother.get_relationship_display(),
                    ),
                    days_ago=1,
                    moves=[()],
                )
            )
    return made
