"""The gift voucher products of a territory, written by the generator (``portal build``).

Each territory sells one voucher product per ``[[gift_vouchers]]`` entry of its spec (one,
spendable everywhere, when the spec says nothing). The product is the territory's own, with
one stock record in that territory only, so no other portal shows or prices it. Its listed
price is the smallest fixed amount; the amount actually bought is a basket line option,
priced by :func:`shop.giftcards.pricing.price_for_options`.
"""

from decimal import Decimal

from django.conf import settings
from oscar.core.loading import get_model

from portal.defaults import setting
from portal.territories.models import Territory
from portal.territories.seeding import Seeder

from .models import VoucherProduct

VOUCHER_CLASS = "buono-regalo"
AMOUNT = "giftcard_amount"
FROM = "giftcard_from"
RECIPIENT_NAME = "giftcard_recipient_name"
RECIPIENT_EMAIL = "giftcard_recipient_email"
MESSAGE = "giftcard_message"
SEND_ON = "giftcard_send_on"
# (code, name shown in the basket and the order, Oscar option type, required)
OPTIONS = (
    (AMOUNT, "Importo", "text", True),
    (FROM, "Da parte di", "text", False),
    (RECIPIENT_NAME, "Destinatario", "text", True),
    (RECIPIENT_EMAIL, "E-mail del destinatario", "text", True),
    (MESSAGE, "Messaggio", "text", False),
    (SEND_ON, "Data di invio", "date", True),
)


def fixed_amounts() -> list[Decimal]:
    return sorted(Decimal(a) for a in setting("PORTAL_GIFTCARD_AMOUNTS"))


def voucher_product_class(seeder: Seeder):
    """The "Gift voucher" product class and its options (recipient, amount, date…)."""
    ProductClass = get_model("catalogue", "ProductClass")
    Option = get_model("catalogue", "Option")
    product_class, created = ProductClass.objects.get_or_create(
        slug=VOUCHER_CLASS,
        defaults={"name": "Buono regalo", "requires_shipping": False, "track_stock": False},
    )
    seeder.count("product class", created, "gift voucher")
    existing = {o.code: o for o in Option.objects.filter(code__in=[o[0] for o in OPTIONS])}
    for order, (code, name, kind, required) in enumerate(OPTIONS):
        option = existing.get(code)
        if option is None:
            option = Option.objects.create(
                code=code, name=name, type=kind, required=required, order=order
            )
            seeder.count("product option", True, code)
        existing[code] = option
    have = set(product_class.options.values_list("pk", flat=True))
    missing = [o for o in existing.values() if o.pk not in have]
    if missing:
        product_class.options.add(*missing)
    return product_class


def sync_gift_vouchers(territory: Territory, vouchers, partners: dict, seeder: Seeder) -> None:
    """Create or update the territory's voucher products and their stock records.

    ``vouchers`` are the spec's :class:`~portal.territories.spec.GiftVoucherSpec`;
    ``partners`` its cooperatives by slug, in spec order (a voucher for the whole portal is
    sold by the first one). A voucher dropped from the spec is withdrawn from sale; the
    product stays, because orders refer to it.
    """
    Product = get_model("catalogue", "Product")
    StockRecord = get_model("partner", "StockRecord")
    if not partners:
        return
    product_class = voucher_product_class(seeder)
    price = fixed_amounts()[0]
    wanted_upcs = set()
    for voucher in vouchers:
        cooperative = partners[voucher.cooperative] if voucher.cooperative else None
        seller = cooperative or next(iter(partners.values()))
        upc = f"{VOUCHER_CLASS}-{territory.slug}" + (f"-{cooperative.code}" if cooperative else "")
        wanted_upcs.add(upc)
        product = Product.objects.filter(upc=upc).first()
        created = product is None
        if created:
            product = Product(upc=upc, product_class=product_class, structure="standalone")
        where = cooperative.name if cooperative else territory.name
        seeder.seed_fields(
            f"{territory.slug}:giftcard:{upc}",
            product,
            {"title": f"Buono regalo {where}", "description": _description(territory, cooperative)},
            created=created,
        )
        seeder.count("gift voucher", created, upc)
        if _voucher_changed(product, territory, cooperative):
            VoucherProduct.objects.update_or_create(
                product=product, defaults={"territory": territory, "cooperative": cooperative}
            )

        stockrecord = StockRecord.objects.filter(product=product, territory=territory).first()
        sr_created = stockrecord is None
        if sr_created:
            stockrecord = StockRecord(
                product=product,
                territory=territory,
                partner=seller,
                partner_sku=f"{territory.slug}-{upc}",
                price_currency=settings.OSCAR_DEFAULT_CURRENCY,
            )
        elif stockrecord.partner_id != seller.pk:
            stockrecord.partner = seller
            stockrecord.save(update_fields=["partner"])
        seeder.seed_fields(
            f"{territory.slug}:giftcard-offer:{upc}", stockrecord, {"price": price}, sr_created
        )
        seeder.count("offer", sr_created, f"{upc} from {price} €")

    stale = StockRecord.objects.filter(
        territory=territory, product__voucher__territory=territory
    ).exclude(product__upc__in=wanted_upcs)
    for stockrecord in stale:
        stockrecord.delete()
        seeder.updated["gift voucher withdrawn"] += 1


def _voucher_changed(product, territory: Territory, cooperative) -> bool:
    current = VoucherProduct.objects.filter(product=product).first()
    return current is None or (current.territory_id, current.cooperative_id) != (
        territory.pk,
        cooperative.pk if cooperative else None,
    )


def _description(territory: Territory, cooperative) -> str:
    if cooperative:
        return (
            f"<p>Un regalo da spendere da {cooperative.name} sul portale {territory.name}: "
            "scegli l'importo, scrivi un messaggio e la data in cui farlo arrivare.</p>"
            "<p>Chi lo riceve trova nella sua e-mail un codice da usare nel carrello, anche in "
            f"più volte, entro {setting('PORTAL_GIFTCARD_VALIDITY_DAYS')} giorni.</p>"
        )
    return (
        f"<p>Regala i servizi di {territory.name}: chi riceve il buono sceglie cosa "
        "acquistare tra i servizi delle cooperative del portale.</p>"
        "<p>Scegli l'importo, scrivi un messaggio e la data in cui farlo arrivare: il codice "
        "arriva per e-mail al destinatario e si usa nel carrello, anche in più volte, entro "
        f"{setting('PORTAL_GIFTCARD_VALIDITY_DAYS')} giorni.</p>"
    )
