"""The vouchers a citizen applied in their basket, kept in the session per territory."""

from django.http import HttpRequest

from .models import GiftCard
from .redemption import GiftCardSpent, available_balance, find_card


def _key(request: HttpRequest) -> str:
    return f"giftcards:{request.territory.slug}"


def applied_cards(request: HttpRequest) -> list[GiftCard]:
    """The unexpired vouchers applied on this portal in this session, in the order applied."""
    if getattr(request, "territory", None) is None:
        return []
    ids = request.session.get(_key(request), [])
    if not ids:
        return []
    cards = GiftCard.objects.filter(pk__in=ids, territory=request.territory).select_related(
        "account", "cooperative"
    )
    by_id = {c.pk: c for c in cards if not c.is_expired}
    return [by_id[pk] for pk in ids if pk in by_id]


def apply_code(request: HttpRequest, code: str) -> GiftCard:
    """Look ``code`` up on the request's portal and remember it; GiftCardNotFound if not,
    GiftCardSpent if nothing is left on it."""
    card = find_card(request.territory, code)
    if available_balance(card) <= 0:
        raise GiftCardSpent()
    ids = request.session.get(_key(request), [])
    if card.pk not in ids:
        request.session[_key(request)] = [*ids, card.pk]
    return card


def remove_card(request: HttpRequest, card_id: int) -> None:
    ids = request.session.get(_key(request), [])
    request.session[_key(request)] = [pk for pk in ids if pk != card_id]


def forget_cards(request: HttpRequest) -> None:
    """After an order is placed: the vouchers were spent, the next basket starts clean."""
    if getattr(request, "territory", None) is not None:
        request.session.pop(_key(request), None)
