"""A basket belongs to one territory: what a citizen adds on one portal stays there."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.basket.abstract_models import AbstractBasket, AbstractLine

from .descriptions import line_description


class Basket(AbstractBasket):
    territory = models.ForeignKey(
        "territories.Territory",
        on_delete=models.CASCADE,
        related_name="baskets",
        null=True,
        blank=True,
        verbose_name=_("territory"),
    )

    def get_stock_info(self, product, options):
        """Price a new line with its options too (a gift voucher costs the amount chosen)."""
        return self.strategy.fetch_for_product_with_options(product, options or [])


class Line(AbstractLine):
    @property
    def description(self):
        """The service or voucher, and its options as a person reads them."""
        return line_description(str(self.product), self.attributes.all())


from oscar.apps.basket.models import *  # noqa: E402,F403
