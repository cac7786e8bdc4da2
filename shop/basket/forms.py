"""Oscar's basket forms, with the gift voucher's fields when the product is a voucher."""

from oscar.apps.basket.forms import *  # noqa: F403
from oscar.apps.basket.forms import AddToBasketForm as CoreAddToBasketForm
from oscar.apps.basket.forms import SimpleAddToBasketMixin

from shop.giftcards.forms import GiftVoucherOptionsMixin


class AddToBasketForm(GiftVoucherOptionsMixin, CoreAddToBasketForm):
    pass


class SimpleAddToBasketForm(SimpleAddToBasketMixin, AddToBasketForm):
    pass
