"""A campaign's discount in the shop, built of Oscar's own offers and vouchers.

- an **offer**: a site offer (a percentage or an amount off the chosen services);
- **codes**: a voucher set of single-use codes, each giving that discount once.

Both are active only between the campaign's dates (the offer's and the vouchers' own dates)
and only on the portals it targets: the shop's applicator (shop/offer/applicator.py) leaves
a campaign's offer out of a basket of another portal, and the basket refuses such a code
with a message naming where it is valid (shop/basket/views.py).
"""

import csv
import io
import secrets
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from portal.territories.models import Territory

from .models import Campaign

ConditionalOffer = get_model("offer", "ConditionalOffer")
Condition = get_model("offer", "Condition")
Benefit = get_model("offer", "Benefit")
Range = get_model("offer", "Range")
Voucher = get_model("voucher", "Voucher")
VoucherSet = get_model("voucher", "VoucherSet")
VoucherApplication = get_model("voucher", "VoucherApplication")

PERCENTAGE, AMOUNT = Benefit.PERCENTAGE, Benefit.FIXED
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at a counter
CODE_LENGTH = 10


@transaction.atomic
def set_discount(campaign: Campaign, kind: str, value: Decimal, products: Iterable) -> None:
    """The campaign's offer (made or updated): ``kind`` PERCENTAGE or AMOUNT off ``products``."""
    offer = campaign.offer
    offer_type = (
        ConditionalOffer.VOUCHER
        if campaign.discount == Campaign.Discount.CODES
        else ConditionalOffer.SITE
    )
    if offer is None:
        scope = Range.objects.create(name=f"{_('Campaign')}: {campaign.name}"[:128])
        condition = Condition.objects.create(range=scope, type=Condition.COUNT, value=1)
        benefit = Benefit.objects.create(range=scope, type=kind, value=value)
        offer = ConditionalOffer.objects.create(
            name=f"{_('Campaign')}: {campaign.name}"[:128],
            offer_type=offer_type,
            condition=condition,
            benefit=benefit,
            start_datetime=campaign.starts_at,
            end_datetime=campaign.ends_at,
        )
        campaign.offer = offer
        campaign.save(update_fields=["offer"])
    else:
        Benefit.objects.filter(pk=offer.benefit_id).update(type=kind, value=value)
        offer.offer_type = offer_type
        offer.start_datetime, offer.end_datetime = campaign.starts_at, campaign.ends_at
        offer.save()
    offer.condition.range.included_products.set(products)
    if campaign.voucher_set_id:
        campaign.voucher_set.vouchers.update(
            start_datetime=campaign.starts_at, end_datetime=campaign.ends_at
        )
        VoucherSet.objects.filter(pk=campaign.voucher_set_id).update(
            start_datetime=campaign.starts_at, end_datetime=campaign.ends_at
        )


def remove_discount(campaign: Campaign) -> None:
    """No discount any more: the offer is suspended (orders that used it keep it)."""
    if campaign.offer_id:
        ConditionalOffer.objects.filter(pk=campaign.offer_id).update(
            status=ConditionalOffer.SUSPENDED
        )


def _code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@transaction.atomic
def generate_codes(campaign: Campaign, count: int) -> int:
    """``count`` new unique single-use codes for the campaign's offer. Returns how many."""
    if campaign.offer_id is None or campaign.discount != Campaign.Discount.CODES:
        raise ValueError("The campaign gives no codes.")
    batch = campaign.voucher_set
    if batch is None:
        batch = VoucherSet.objects.create(
            name=campaign.name[:100],
            count=0,
            code_length=CODE_LENGTH,
            description=campaign.goal,
            start_datetime=campaign.starts_at,
            end_datetime=campaign.ends_at,
        )
        campaign.voucher_set = batch
        campaign.save(update_fields=["voucher_set"])
    start = batch.vouchers.count()
    codes: set[str] = set()
    while len(codes) < count:
        codes |= {_code() for _ in range(count - len(codes))}
        codes -= set(Voucher.objects.filter(code__in=codes).values_list("code", flat=True))
    vouchers = Voucher.objects.bulk_create(
        Voucher(
            name=f"{batch.name[:100]} #{start + number}",
            code=code,
            usage=Voucher.SINGLE_USE,
            start_datetime=campaign.starts_at,
            end_datetime=campaign.ends_at,
            voucher_set=batch,
        )
        for number, code in enumerate(sorted(codes), start=1)
    )
    Through = Voucher.offers.through
    Through.objects.bulk_create(
        Through(voucher_id=v.pk, conditionaloffer_id=campaign.offer_id) for v in vouchers
    )
    batch.update_count()
    return len(vouchers)


def codes_csv(campaign: Campaign) -> str:
    """The campaign's codes as CSV: code, valid from, valid until, used (yes/no)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Code"), _("Valid from"), _("Valid until"), _("Used")])
    if campaign.voucher_set_id:
        used = set(
            VoucherApplication.objects.filter(
                voucher__voucher_set_id=campaign.voucher_set_id
            ).values_list("voucher_id", flat=True)
        )
        for voucher in campaign.voucher_set.vouchers.order_by("code"):
            writer.writerow(
                [
                    voucher.code,
                    voucher.start_datetime.isoformat(),
                    voucher.end_datetime.isoformat(),
                    _("yes") if voucher.pk in used else _("no"),
                ]
            )
    return out.getvalue()


# -- where a campaign's offer and codes apply --------------------------------------------------


def offers_elsewhere(offer_ids: Iterable[int], territory_id: int | None) -> set[int]:
    """Those of ``offer_ids`` that belong to a campaign not running on ``territory_id``."""
    offer_ids = set(offer_ids)
    if not offer_ids:
        return set()
    campaigns = Campaign.objects.filter(offer_id__in=offer_ids)
    here = campaigns.filter(territories=territory_id).values_list("offer_id", flat=True)
    return set(campaigns.values_list("offer_id", flat=True)) - set(here)


def refusal_elsewhere(voucher, territory: Territory | None) -> str | None:
    """The message for a campaign's code used on a portal the campaign does not target."""
    campaign = (
        Campaign.objects.filter(offer__in=voucher.offers.all()).prefetch_related("territories")
    ).first()
    if campaign is None or (
        territory is not None and campaign.territories.filter(pk=territory.pk).exists()
    ):
        return None
    names = ", ".join(sorted(t.name for t in campaign.territories.all()))
    return _("The code “%(code)s” is valid only on: %(portals)s.") % {
        "code": voucher.code,
        "portals": names,
    }


def discounted_services(page, territory: Territory | None) -> list:
    """The services the campaign of landing page ``page`` discounts that ``territory`` sells
    (its offer's or its codes' range), by title; empty without a discount."""
    from shop.catalogue.scoping import offered_in

    from .models import LandingPage

    landing = (
        LandingPage.objects.filter(page_id=page.pk)
        .select_related("campaign__offer__condition__range")
        .first()
    )
    offer = landing.campaign.offer if landing is not None else None
    if offer is None or territory is None or offer.condition.range is None:
        return []
    products = offer.condition.range.included_products.filter(
        pk__in=offered_in(territory).values("pk")
    )
    return list(products.order_by("title"))
