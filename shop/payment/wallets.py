"""The split tender's wallet part: the signed-in citizen's wallets at checkout — this
portal's programme wallets, then their employer's welfare wallets (any portal).

What a wallet may pay and the ledger's side live in ``portal.programmes.checkout`` (and, for
the employer's kind, ``portal.employers.at_checkout``); here is what the shop adds: which
wallets the citizen chose not to use (kept in the session per portal) and the order's
payment sources, one per wallet.
"""

from decimal import Decimal

from django.http import HttpRequest
from oscar.core.loading import get_model

from portal.employers import at_checkout
from portal.programmes import checkout

SOURCE_NAME = "Credito programma"  # a SourceType name is data, shown in the dashboard
EMPLOYER_SOURCE_NAME = "Credito welfare aziendale"
SOURCE_NAMES = (SOURCE_NAME, EMPLOYER_SOURCE_NAME)
KINDS = (checkout.PROGRAMME, at_checkout.EMPLOYER)  # the order in which they pay


def _key(request: HttpRequest) -> str:
    return f"wallets-declined:{request.territory.slug}"


def declined(request: HttpRequest) -> list[int | str]:
    """The wallets the citizen chose not to use on this portal in this session."""
    if getattr(request, "territory", None) is None:
        return []
    return list(request.session.get(_key(request), []))


def choose(request: HttpRequest, wallet_id: int | str, use: bool) -> None:
    ids = [pk for pk in declined(request) if pk != wallet_id]
    request.session[_key(request)] = ids if use else [*ids, wallet_id]


def forget(request: HttpRequest) -> None:
    """After an order is placed: the next checkout uses every wallet again."""
    if getattr(request, "territory", None) is not None:
        request.session.pop(_key(request), None)


def plan_for(request: HttpRequest, basket, total: Decimal) -> checkout.WalletPlan | None:
    """What the citizen's wallets pay of ``basket``; None for a guest or without wallets
    (then no query is spent on lines or categories)."""
    user = getattr(request, "user", None)
    territory = getattr(request, "territory", None) or basket.territory
    wallets = [*checkout.usable_wallets(user, territory), *at_checkout.wallets_with_credit(user)]
    if not wallets:
        return None
    return checkout.plan_wallets(
        wallets,
        territory,
        checkout.wallet_lines_for_basket(basket),
        total=total,
        declined=declined(request),
        kinds=KINDS,
    )


def hold(order_number: str, plan: checkout.WalletPlan, territory) -> None:
    checkout.hold_for_order(order_number, plan, territory)


def capture(order_number: str) -> None:
    checkout.capture_for_order(order_number, KINDS)


def release(order_number: str) -> None:
    checkout.release_for_order(order_number)


def paid_sources(order_number: str) -> list:
    """Unsaved ``payment.Source`` rows, one per wallet paying order ``order_number``."""
    shares = checkout.shares_for_order(order_number, KINDS)
    if not shares:
        return []
    Source, SourceType = get_model("payment", "Source"), get_model("payment", "SourceType")
    names = {_source_name(wallet) for wallet, _amount in shares}
    types = {name: SourceType.objects.get_or_create(name=name)[0] for name in names}
    return [
        Source(
            source_type=types[_source_name(wallet)],
            amount_allocated=amount,
            amount_debited=amount,
            reference=source_reference(wallet),
        )
        for wallet, amount in shares
    ]


def _source_name(wallet) -> str:
    return (
        SOURCE_NAME
        if checkout.kind_of(wallet, KINDS) is checkout.PROGRAMME
        else EMPLOYER_SOURCE_NAME
    )


def source_reference(wallet) -> str:
    """A wallet's payment source's reference: its programme's or employer plan's title."""
    return checkout.kind_of(wallet, KINDS).title(wallet)[:255]


def line_shares(order, line):
    return checkout.line_shares(order, line, KINDS)


def refund_line_share(order, line):
    return checkout.refund_line_share(order, line, KINDS)
