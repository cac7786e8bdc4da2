"""Oscar's checkout forms; the gateway never says whether an e-mail has an account."""

from oscar.apps.checkout import forms as core
from oscar.apps.checkout.forms import *  # noqa: F403


class GatewayForm(core.GatewayForm):
    """The checkout's first step: guest, new customer or returning customer.

    Oscar answers a guest or a new customer whose address has an account with "a user with
    that email address already exists", to anyone who types it. Here a guest goes on as a
    guest (the order is not tied to the account, as with
    ``OSCAR_ALLOW_GUEST_CHECKOUT_WITH_ACCOUNT``) and a new customer goes to the registration,
    which e-mails the address and shows the same page either way (``shop.customer.signup``).
    """

    def clean(self):
        if self.is_guest_checkout() or self.is_new_account_checkout():
            self.errors.pop("password", None)
            return self.cleaned_data
        return super().clean()
