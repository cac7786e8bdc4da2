"""Opening accounts: system accounts are found by a stable code, created on first use."""

from django.db import IntegrityError, transaction
from django.db.models import Q

from portal.territories.models import Territory

from .models import Account, Transfer


def system_account(
    code: str,
    *,
    name: str,
    kind: str,
    territory: Territory | None = None,
    allow_negative: bool = False,
) -> Account:
    """The account with ``code``, opened now if it does not exist yet (safe when racing)."""
    account = Account.objects.filter(code=code).first()
    if account is not None:
        return account
    try:
        with transaction.atomic():
            return Account.objects.create(
                code=code,
                name=name,
                kind=kind,
                territory=territory,
                allow_negative=allow_negative,
            )
    except IntegrityError:  # opened meanwhile by someone else
        return Account.objects.get(code=code)


def order_number_in(reference: str) -> str:
    """The order number of a movement's reference (``order:<number>:…``), or ""."""
    kind, _sep, rest = reference.partition(":")
    return rest.split(":", 1)[0] if kind == "order" else ""


def movements(account_ids: list[int]) -> dict[int, list[dict]]:
    """Every transfer in or out of those accounts, newest first, by account (one query): when,
    the amount (negative when it went out), its kind, reference and order number if any."""
    found: dict[int, list[dict]] = {pk: [] for pk in account_ids}
    for made in Transfer.objects.filter(
        Q(source_id__in=account_ids) | Q(destination_id__in=account_ids)
    ).order_by("-created_at", "-pk"):
        for pk in (made.source_id, made.destination_id):
            if pk in found:
                found[pk].append(
                    {
                        "at": made.created_at,
                        "amount": made.amount if pk == made.destination_id else -made.amount,
                        "kind": made.kind,
                        "reference": made.reference,
                        "order": order_number_in(made.reference),
                    }
                )
    return found
