"""Checkout session: the order takes its territory from the basket it is placed from.

Services are not shipped: when the basket needs no shipping, Oscar's shipping steps are
never shown; the "no shipping required" method is recorded and the checkout goes on to its
next step (``PORTAL_CHECKOUT_STEPS``).
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from oscar.apps.checkout import exceptions
from oscar.apps.checkout.session import CheckoutSessionMixin as CoreCheckoutSessionMixin
from oscar.core.loading import get_class

from portal.defaults import setting

NoShippingRequired = get_class("shipping.methods", "NoShippingRequired")


def first_step_url() -> str:
    """Where the checkout goes after its index page."""
    return reverse(setting("PORTAL_CHECKOUT_STEPS")[0])


def next_step_url(current: str) -> str:
    """The step after ``current`` (a URL name in ``PORTAL_CHECKOUT_STEPS``)."""
    steps = list(setting("PORTAL_CHECKOUT_STEPS"))
    return reverse(steps[min(steps.index(current) + 1, len(steps) - 1)])


class CheckoutSessionMixin(CoreCheckoutSessionMixin):
    def build_submission(self, **kwargs):
        submission = super().build_submission(**kwargs)
        submission["order_kwargs"].setdefault("territory", submission["basket"].territory)
        return submission

    def check_bookings_are_complete(self, request):
        """Every service line says who it is for before anything is paid (shop/booking)."""
        from shop.booking.records import missing_bookings

        if "checkout:booking-details" in setting("PORTAL_CHECKOUT_STEPS") and missing_bookings(
            request.basket
        ):
            raise exceptions.FailedPreCondition(
                url=reverse("checkout:booking-details"),
                message=_("Please tell us who each service is for before paying."),
            )

    def check_shipping_data_is_captured(self, request):
        if not request.basket.is_shipping_required():
            self.checkout_session.use_shipping_method(NoShippingRequired().code)
            return
        super().check_shipping_data_is_captured(request)
