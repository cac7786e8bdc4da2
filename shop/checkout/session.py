"""Checkout session: the order takes its territory from the basket it is placed from."""

from oscar.apps.checkout.session import CheckoutSessionMixin as CoreCheckoutSessionMixin


class CheckoutSessionMixin(CoreCheckoutSessionMixin):
    def build_submission(self, **kwargs):
        submission = super().build_submission(**kwargs)
        submission["order_kwargs"].setdefault("territory", submission["basket"].territory)
        return submission
