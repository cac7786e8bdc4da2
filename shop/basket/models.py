"""A basket belongs to one territory: what a citizen adds on one portal stays there."""

from django.db import models
from django.db.models import Prefetch
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

    def all_lines(self):
        """Oscar's, with the products' offers in this basket's territory read for all lines
        at once (the strategy prices each line from them: one query, not one a line), their
        classes with them (is shipping required? the basket page asks of each line), and
        without their images: no page shows a basket line's image (services have none), and
        the mini basket of every shop page read them."""
        if self.id is None:
            return self.lines.model.objects.none()
        if self._lines is None:
            from oscar.core.loading import get_model

            offers = get_model("partner", "StockRecord").objects.filter(
                territory_id=self.territory_id
            )
            self._lines = (
                self.lines.select_related("product__product_class", "stockrecord")
                .prefetch_related("attributes", Prefetch("product__stockrecords", queryset=offers))
                .order_by(self._meta.pk.name)
            )
        return self._lines

    @property
    def num_lines(self):
        """Oscar's counts the lines with a query of its own before reading them; every page
        that asks (is the basket empty?) reads them next anyway (offers, the mini basket)."""
        return len(self.all_lines())


class Line(AbstractLine):
    @property
    def description(self):
        """The service or voucher, and its options as a person reads them."""
        return line_description(str(self.product), self.attributes.all())


from oscar.apps.basket.models import *  # noqa: E402,F403
