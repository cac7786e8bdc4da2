"""The ledger accounts of gift vouchers: one per card, two per territory.

Money enters when a voucher is sold (from the territory's "gift voucher sales" funding
account, which goes negative by what the vouchers are worth: the territory owes it) and
leaves when it is spent (into "gift vouchers spent", what the cooperatives are paid from).
"""

from django.utils.translation import gettext as _

from portal.ledger.accounts import system_account
from portal.ledger.models import Account
from portal.territories.models import Territory


def sales_account(territory: Territory) -> Account:
    return system_account(
        f"{territory.slug}:giftcard-sales",
        name=_("%(portal)s: gift voucher sales") % {"portal": territory.name},
        kind=Account.Kind.FUNDING,
        territory=territory,
        allow_negative=True,
    )


def spent_account(territory: Territory) -> Account:
    return system_account(
        f"{territory.slug}:giftcard-spent",
        name=_("%(portal)s: gift vouchers spent") % {"portal": territory.name},
        kind=Account.Kind.INCOME,
        territory=territory,
    )
