"""Gift vouchers: the products that sell them, and the cards they issue.

A card's value lives on the ledger (:mod:`portal.ledger`): each card has its own account,
funded from its territory's "gift voucher sales" account when the order is placed, and spent
through holds at checkout. The card row keeps who it is for and when to send it.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.ledger.models import MONEY


class VoucherProduct(models.Model):
    """What makes a catalogue product a gift voucher of one territory (and maybe one cooperative).

    Written by the generator from the spec's ``[[gift_vouchers]]``; read when an order is
    placed, to issue cards with the right territory and cooperative limit.
    """

    product = models.OneToOneField(
        "catalogue.Product", on_delete=models.CASCADE, related_name="voucher"
    )
    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="voucher_products"
    )
    cooperative = models.ForeignKey(
        "partner.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="voucher_products",
        verbose_name=_("spendable only at"),
    )

    class Meta:
        verbose_name = _("gift voucher product")
        verbose_name_plural = _("gift voucher products")

    def __str__(self) -> str:
        return str(self.product)


class GiftCard(models.Model):
    """One issued gift voucher: a code, a ledger account with its balance, a recipient.

    ``(order_line, sequence)`` is unique: the n-th card of an order line exists once, however
    often the order is confirmed (return page, webhook, retries).
    """

    territory = models.ForeignKey(
        "territories.Territory",
        on_delete=models.PROTECT,
        related_name="giftcards",
        verbose_name=_("territory"),
    )
    cooperative = models.ForeignKey(
        "partner.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="giftcards",
        verbose_name=_("spendable only at"),
    )
    account = models.OneToOneField(
        "ledger.Account", on_delete=models.PROTECT, related_name="giftcard"
    )
    code_digest = models.CharField(_("code digest"), max_length=64, unique=True)
    code_last4 = models.CharField(_("last characters of the code"), max_length=4)
    code = models.CharField(
        _("code to deliver"),
        max_length=32,
        blank=True,
        help_text=_("Kept only until the e-mail to the recipient is sent, then erased."),
    )
    initial_amount = models.DecimalField(_("initial amount"), **MONEY)
    expires_on = models.DateField(_("expires on"))
    order_line = models.ForeignKey(
        "order.Line",
        on_delete=models.PROTECT,
        related_name="giftcards",
        null=True,
        blank=True,
        verbose_name=_("order line"),
    )
    sequence = models.PositiveSmallIntegerField(_("number in the order line"), default=1)
    buyer_name = models.CharField(_("from"), max_length=120, blank=True)
    recipient_name = models.CharField(_("recipient's name"), max_length=120)
    recipient_email = models.EmailField(_("recipient's e-mail"))
    message = models.TextField(_("message"), blank=True)
    send_on = models.DateField(_("send on"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("gift voucher")
        verbose_name_plural = _("gift vouchers")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["order_line", "sequence"], name="giftcard_once_per_line_sequence"
            )
        ]
        indexes = [
            models.Index(fields=["send_on"], condition=models.Q(sent_at=None), name="giftcard_due")
        ]

    def __str__(self) -> str:
        return f"…{self.code_last4}"

    @property
    def masked_code(self) -> str:
        return f"XXXX-XXXX-XXXX-XX{self.code_last4[:2]}-{self.code_last4[2:]}"

    @property
    def balance(self):
        return self.account.balance

    @property
    def is_expired(self) -> bool:
        return self.expires_on < timezone.localdate()
