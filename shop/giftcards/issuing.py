"""Issuing gift vouchers when an order is placed: exactly once per bought voucher.

Whoever places an order (the return page, the payment webhook, a retry) sends Oscar's
``order_placed`` signal; :mod:`.receivers` calls :func:`issue_for_order`. The n-th voucher of
an order line is the row ``(order_line, n)``, unique in the database, so a second call (or a
concurrent one) finds the cards already issued and issues, funds and e-mails nothing more.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.defaults import setting
from portal.ledger.models import Account
from portal.ledger.transfers import transfer

from . import codes, products
from .accounts import sales_account
from .models import GiftCard, VoucherProduct


def issue_for_order(order) -> list:
    """The gift cards bought with ``order``: issued and funded now, or found if already issued.

    Cards whose send date has come are e-mailed once the transaction commits (see
    :mod:`.delivery`); the others wait for ``send_due_giftcards``.
    """
    cards = []
    # one query for an order without vouchers (the usual case)
    lines = order.lines.select_related(
        "product__voucher__territory", "product__voucher__cooperative"
    ).order_by("pk")
    for line in lines:
        voucher = _voucher_of(line)
        if voucher is None:
            continue
        options = dict(line.attributes.values_list("type", "value"))
        for sequence in range(1, line.quantity + 1):
            cards.append(_issue_one(order, line, sequence, voucher, options))
    due = [c.pk for c in cards if c.sent_at is None and c.send_on <= timezone.localdate()]
    if due:
        from .tasks import send_giftcard

        for pk in due:
            transaction.on_commit(lambda pk=pk: send_giftcard.delay(pk))
    return cards


def _voucher_of(line) -> VoucherProduct | None:
    if line.product_id is None:
        return None
    try:
        return line.product.voucher
    except VoucherProduct.DoesNotExist:
        return None


def _issue_one(order, line, sequence: int, voucher: VoucherProduct, options: dict) -> GiftCard:
    existing = GiftCard.objects.filter(order_line=line, sequence=sequence).first()
    if existing is not None:
        return existing
    territory = voucher.territory
    amount = Decimal(line.unit_price_incl_tax).quantize(Decimal("0.01"))
    today = timezone.localdate()
    send_on = _date(options.get(products.SEND_ON)) or today
    code = codes.generate_code()
    normalised = codes.normalise(code)
    try:
        with transaction.atomic():
            account = Account.objects.create(
                name=_("Gift voucher …%(last4)s") % {"last4": normalised[-4:]},
                kind=Account.Kind.GIFTCARD,
                territory=territory,
            )
            card = GiftCard.objects.create(
                territory=territory,
                cooperative=voucher.cooperative,
                account=account,
                code=code,
                code_digest=codes.digest(normalised),
                code_last4=normalised[-4:],
                initial_amount=amount,
                expires_on=max(send_on, today)
                + timedelta(days=setting("PORTAL_GIFTCARD_VALIDITY_DAYS")),
                order_line=line,
                sequence=sequence,
                buyer_name=str(options.get(products.FROM) or "")[:120],
                recipient_name=str(options.get(products.RECIPIENT_NAME) or "")[:120],
                recipient_email=str(options.get(products.RECIPIENT_EMAIL) or ""),
                message=str(options.get(products.MESSAGE) or ""),
                send_on=send_on,
            )
            transfer(
                sales_account(territory),
                account,
                amount,
                kind="giftcard-issue",
                reference=_("Order %(number)s") % {"number": order.number},
                key=f"giftcard-issue:{line.pk}:{sequence}",
            )
    except IntegrityError:  # issued meanwhile by a concurrent call
        return GiftCard.objects.get(order_line=line, sequence=sequence)
    return card


def _date(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None
