"""Card payments through Stripe, and the rows that make fulfilment happen exactly once.

Stripe tells us a payment succeeded twice or more (the browser's return page, the
``payment_intent.succeeded`` webhook, Stripe's retries of it); our own unique columns decide
that only one of them places the order: ``StripePayment.payment_intent_id`` and ``.order``
are unique, ``StripeEvent.event_id`` is unique, and the order number is unique in Oscar.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class StripePayment(models.Model):
    """One card payment attempt for one frozen basket, from PaymentIntent to order.

    It keeps what is needed to place the order without the citizen's browser (the webhook
    has no session): basket, user or guest e-mail, site, language and a snapshot of the
    checkout session (booking details and the like).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")

    # empty (NULL) until Stripe answers the charge; then unique
    payment_intent_id = models.CharField(
        _("PaymentIntent"), max_length=255, unique=True, null=True, blank=True
    )
    # a confirmed SetupIntent pays for one attempt only: a double submit cannot charge twice
    setup_intent_id = models.CharField(_("SetupIntent"), max_length=255, unique=True)
    customer_id = models.CharField(_("Stripe customer"), max_length=255)
    payment_method_id = models.CharField(_("payment method"), max_length=255)
    order_number = models.CharField(_("order number"), max_length=128)
    basket = models.ForeignKey(
        "basket.Basket", on_delete=models.PROTECT, related_name="stripe_payments"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stripe_payments",
    )
    guest_email = models.EmailField(_("guest e-mail"), blank=True)
    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.PROTECT, null=True, blank=True
    )
    site = models.ForeignKey("sites.Site", on_delete=models.PROTECT, null=True, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    amount = models.DecimalField(_("amount charged by card"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=12)
    checkout_data = models.JSONField(_("checkout session"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    failure_code = models.CharField(_("failure code"), max_length=64, blank=True)
    order = models.OneToOneField(
        "order.Order",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stripe_payment",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("card payment")
        verbose_name_plural = _("card payments")
        constraints = [
            # a basket is charged by at most one live attempt: a retry first fails the old one
            models.UniqueConstraint(
                fields=["order_number"],
                condition=~Q(status="failed"),
                name="payment_one_live_attempt_per_order_number",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]

    def __str__(self):
        return f"{self.payment_intent_id} ({self.order_number}, {self.status})"


class StripeEvent(models.Model):
    """A webhook event already handled: its unique id makes a repeated delivery a no-op."""

    event_id = models.CharField(_("event id"), max_length=255, unique=True)
    type = models.CharField(_("type"), max_length=100)
    payment_intent_id = models.CharField(_("PaymentIntent"), max_length=255, blank=True)
    received = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")

    def __str__(self):
        return f"{self.event_id} {self.type}"


from oscar.apps.payment.models import *  # noqa: E402,F403
