"""Cooperatives are Oscar partners; a stock record offers a service in one territory."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner.abstract_models import AbstractPartner, AbstractStockRecord


class Partner(AbstractPartner):
    """A cooperative (or consortium, or the bookshop) that provides services."""

    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    vat_number = models.CharField(_("VAT number"), max_length=11, blank=True, db_index=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    uni_pdr_58_expires = models.DateField(
        _("UNI/PdR 58:2019 qualification expires"), null=True, blank=True
    )
    territories = models.ManyToManyField(
        "territories.Territory", related_name="cooperatives", blank=True
    )

    class Meta(AbstractPartner.Meta):
        pass

    @property
    def uni_pdr_58_valid(self) -> bool:
        """Qualified under UNI/PdR 58:2019 today (the quality practice for personal services)."""
        return bool(self.uni_pdr_58_expires and self.uni_pdr_58_expires >= timezone.localdate())


class StockRecord(AbstractStockRecord):
    """A cooperative's offer of a service in one territory, at that territory's price."""

    territory = models.ForeignKey(
        "territories.Territory",
        on_delete=models.CASCADE,
        related_name="stockrecords",
        null=True,
        blank=True,
        verbose_name=_("territory"),
    )
    # what the cooperative itself may change on its offer (the service is the platform's)
    available = models.BooleanField(
        _("available"), default=True, help_text=_("Untick to stop taking orders for it here.")
    )
    notes = models.TextField(
        _("the cooperative's notes"),
        blank=True,
        help_text=_("Plain text shown on the service's page in this territory."),
    )

    class Meta(AbstractStockRecord.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "product", "territory"], name="one_offer_per_territory"
            )
        ]


from oscar.apps.partner.models import *  # noqa: E402,F403
