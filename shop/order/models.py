"""Orders record the territory they were placed on."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.order.abstract_models import AbstractLine, AbstractOrder

from shop.basket.descriptions import line_description


class Order(AbstractOrder):
    territory = models.ForeignKey(
        "territories.Territory",
        on_delete=models.PROTECT,
        related_name="orders",
        null=True,
        blank=True,
        verbose_name=_("territory"),
    )


class Line(AbstractLine):
    @property
    def description(self):
        """The service or voucher, and its options as a person reads them."""
        return line_description(self.title, self.attributes.all())


from oscar.apps.order.models import *  # noqa: E402,F403
