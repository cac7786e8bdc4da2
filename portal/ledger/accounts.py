"""Opening accounts: system accounts are found by a stable code, created on first use."""

from django.db import IntegrityError, transaction

from portal.territories.models import Territory

from .models import Account


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
