"""The booking details of one service line: who receives the service, where and when.

Collected at checkout against the basket line (so they survive the trip to the payment page
and back, and the Stripe webhook finds them even without the citizen's session), then tied
to the order line when the order is placed.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LineBooking(models.Model):
    SELF = "self"
    RELATIVE = "relative"
    BENEFICIARY_CHOICES = [(SELF, _("Myself")), (RELATIVE, _("A relative or someone I care for"))]

    basket_line = models.OneToOneField(
        "basket.Line", on_delete=models.SET_NULL, null=True, blank=True, related_name="booking"
    )
    order_line = models.OneToOneField(
        "order.Line", on_delete=models.CASCADE, null=True, blank=True, related_name="booking"
    )
    beneficiary = models.CharField(
        _("who receives the service"), max_length=10, choices=BENEFICIARY_CHOICES, default=SELF
    )
    name = models.CharField(_("full name"), max_length=120)
    relationship = models.CharField(_("relationship"), max_length=60, blank=True)
    address = models.CharField(_("address"), max_length=200)
    municipality = models.CharField(_("municipality"), max_length=100)
    territory = models.ForeignKey(
        "territories.Territory",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("territory where the service is delivered"),
    )
    phone = models.CharField(_("phone"), max_length=30)
    preferred_times = models.CharField(_("preferred days and times"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    scheduled_for = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("service booking")
        verbose_name_plural = _("service bookings")

    def __str__(self) -> str:
        return f"{self.name} ({self.municipality})"

    @property
    def for_relative(self) -> bool:
        return self.beneficiary == self.RELATIVE
