"""Moving money on the ledger: the only functions that change a balance.

Every function runs in one transaction and locks the accounts it touches with
``SELECT … FOR UPDATE`` in primary-key order, so two spends from one account wait for each
other instead of both reading the old balance, and two transfers in opposite directions never
deadlock. The database check on ``Account.balance`` is the last line of defence.
"""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Account, Hold, Transfer

CENT = Decimal("0.01")


class LedgerError(Exception):
    """A ledger operation that cannot be done; nothing was written."""


class InsufficientFunds(LedgerError):
    """The source account does not hold enough money for the transfer."""

    def __init__(self, account: Account, amount: Decimal, available: Decimal):
        self.account, self.amount, self.available = account, amount, available
        super().__init__(
            _("%(account)s holds %(available)s €, %(amount)s € were asked for.")
            % {"account": account, "available": available, "amount": amount}
        )


class InvalidAmount(LedgerError, ValueError):
    """Not a positive amount in cents."""


class HoldSettled(LedgerError):
    """The hold was already captured or released the other way."""


def money(amount: Decimal | int | str) -> Decimal:
    """``amount`` as a positive Decimal in whole cents, or :class:`InvalidAmount`."""
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError) as exc:
        raise InvalidAmount(_("'%(amount)s' is not an amount.") % {"amount": amount}) from exc
    if not value.is_finite() or value <= 0 or value != value.quantize(CENT):
        raise InvalidAmount(
            _("'%(amount)s' is not a positive amount in cents.") % {"amount": amount}
        )
    return value.quantize(CENT)


def lock_accounts(*accounts: Account) -> dict[int, Account]:
    """Lock the accounts' rows in primary-key order and return fresh copies, by pk."""
    pks = sorted({a.pk for a in accounts})
    locked = Account.objects.select_for_update().filter(pk__in=pks).order_by("pk")
    return {a.pk: a for a in locked}


def transfer(
    source: Account,
    destination: Account,
    amount: Decimal,
    *,
    kind: str,
    reference: str = "",
    key: str | None = None,
) -> Transfer:
    """Move ``amount`` from ``source`` to ``destination`` and return the transfer.

    With a ``key``, a repeated call returns the transfer already made with that key and moves
    nothing (a webhook delivered twice, a double-submitted form). Raises
    :class:`InsufficientFunds` when ``source`` would go below zero (unless it is a funding
    account) and :class:`InvalidAmount` for anything but a positive amount in cents; in both
    cases nothing is written. The passed account objects get their new balances.
    """
    amount = money(amount)
    if source.pk == destination.pk:
        raise LedgerError(_("A transfer needs two different accounts."))
    with transaction.atomic():
        locked = lock_accounts(source, destination)
        if key is not None:
            done = Transfer.objects.filter(key=key).first()
            if done is not None:
                return done
        src, dst = locked[source.pk], locked[destination.pk]
        if src.currency != dst.currency:
            raise LedgerError(_("The two accounts hold different currencies."))
        if not src.allow_negative and src.balance < amount:
            raise InsufficientFunds(src, amount, src.balance)
        src.balance -= amount
        dst.balance += amount
        src.save(update_fields=["balance"])
        dst.save(update_fields=["balance"])
        made = Transfer.objects.create(
            source=src,
            destination=dst,
            amount=amount,
            kind=kind,
            reference=reference[:200],
            key=key,
        )
    source.balance, destination.balance = src.balance, dst.balance
    return made


def hold(source: Account, amount: Decimal, *, reference: str, key: str | None = None) -> Hold:
    """Set ``amount`` aside from ``source`` into an account of its own, until captured or released.

    Idempotent with ``key`` (returns the existing hold). Raises :class:`InsufficientFunds`
    when ``source`` does not hold enough.
    """
    amount = money(amount)
    with transaction.atomic():
        lock_accounts(source)  # a second hold with the same key waits here, then finds the first
        if key is not None:
            done = Hold.objects.filter(key=key).first()
            if done is not None:
                return done
        account = Account.objects.create(
            name=(_("Hold: %(reference)s") % {"reference": reference})[:200],
            kind=Account.Kind.HOLD,
            territory_id=source.territory_id,
            currency=source.currency,
        )
        transfer(source, account, amount, kind="hold", reference=reference)
        return Hold.objects.create(
            source=source, account=account, amount=amount, reference=reference[:200], key=key
        )


def _settle(held: Hold, destination: Account, status: str, kind: str) -> Transfer:
    with transaction.atomic():
        current = Hold.objects.select_for_update().get(pk=held.pk)
        if current.status == status:
            made = current.account.transfers_out.order_by("pk").first()
        elif current.status != Hold.Status.HELD:
            raise HoldSettled(
                _("This hold was already %(status)s.") % {"status": current.get_status_display()}
            )
        else:
            made = transfer(
                current.account,
                destination,
                current.amount,
                kind=kind,
                reference=current.reference,
                key=f"{kind}:hold:{current.pk}",
            )
            current.status = status
            current.settled_at = timezone.now()
            current.save(update_fields=["status", "settled_at"])
    held.status, held.settled_at = current.status, current.settled_at
    return made


def capture_hold(held: Hold, destination: Account) -> Transfer:
    """Spend the held money: move it on to ``destination``. Repeating it is a no-op.

    Raises :class:`HoldSettled` if the hold was released meanwhile.
    """
    return _settle(held, destination, Hold.Status.CAPTURED, "capture")


def release_hold(held: Hold) -> Transfer:
    """Give the held money back to the account it came from. Repeating it is a no-op.

    Raises :class:`HoldSettled` if the hold was captured meanwhile.
    """
    return _settle(held, held.source, Hold.Status.RELEASED, "release")


def transfer_many(
    source: Account,
    items: list[tuple[Account, Decimal, str]],
    *,
    kind: str,
    reference: str = "",
) -> list[Transfer]:
    """Many transfers from one ``source`` at once: ``(destination, amount, key)`` each.

    The same invariants as :func:`transfer`, in a few queries for thousands of transfers: all
    rows locked in primary-key order, each key moves money once (items whose key is already
    used are skipped), the source never goes below zero (unless a funding account:
    :class:`InsufficientFunds` for the batch's total, and nothing is written). Returns the
    transfers made now.
    """
    checked = [(dst, money(amount), key) for dst, amount, key in items]
    keys = [key for _dst, _amount, key in checked]
    if len(set(keys)) != len(keys) or any(not key for key in keys):
        raise LedgerError(_("Each transfer of a batch needs its own idempotency key."))
    if any(dst.pk == source.pk for dst, _amount, _key in checked):
        raise LedgerError(_("A transfer needs two different accounts."))
    if not checked:
        return []
    with transaction.atomic():
        locked = lock_accounts(source, *[dst for dst, _amount, _key in checked])
        done = set(Transfer.objects.filter(key__in=keys).values_list("key", flat=True))
        todo = [(dst, amount, key) for dst, amount, key in checked if key not in done]
        src = locked[source.pk]
        total = sum((amount for _dst, amount, _key in todo), Decimal("0.00"))
        if not src.allow_negative and src.balance < total:
            raise InsufficientFunds(src, total, src.balance)
        changed = {}
        for dst, amount, _key in todo:
            row = locked[dst.pk]
            if row.currency != src.currency:
                raise LedgerError(_("The two accounts hold different currencies."))
            row.balance += amount
            changed[row.pk] = row
        src.balance -= total
        src.save(update_fields=["balance"])
        Account.objects.bulk_update(list(changed.values()), ["balance"], batch_size=1000)
        made = Transfer.objects.bulk_create(
            [
                Transfer(
                    source=src,
                    destination_id=dst.pk,
                    amount=amount,
                    kind=kind,
                    reference=reference[:200],
                    key=key,
                )
                for dst, amount, key in todo
            ],
            batch_size=1000,
        )
    source.balance = src.balance
    for dst, _amount, _key in checked:
        dst.balance = locked[dst.pk].balance
    return made
