"""The ledger accounts of card payments: two per territory.

Card money does not live on our ledger (Stripe holds it), but a refund is recorded there so
the ledger shows every euro given back: a transfer from the territory's "card payments"
account (a funding account: it goes below zero by what was refunded) to its "card refunds"
account, keyed by the refund so it is written once.
"""

from django.utils.translation import gettext as _

from portal.ledger.accounts import system_account
from portal.ledger.models import Account
from portal.territories.models import Territory


def _prefix(territory: Territory | None) -> str:
    return territory.slug if territory is not None else "shop"


def _portal(territory: Territory | None) -> str:
    return territory.name if territory is not None else _("Shop")


def card_payments_account(territory: Territory | None) -> Account:
    return system_account(
        f"{_prefix(territory)}:card-payments",
        name=_("%(portal)s: card payments") % {"portal": _portal(territory)},
        kind=Account.Kind.FUNDING,
        territory=territory,
        allow_negative=True,
    )


def card_refunds_account(territory: Territory | None) -> Account:
    return system_account(
        f"{_prefix(territory)}:card-refunds",
        name=_("%(portal)s: card refunds") % {"portal": _portal(territory)},
        kind=Account.Kind.INCOME,
        territory=territory,
    )
