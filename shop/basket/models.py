"""A basket belongs to one territory: what a citizen adds on one portal stays there."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.basket.abstract_models import AbstractBasket


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


from oscar.apps.basket.models import *  # noqa: E402,F403
