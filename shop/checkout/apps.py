import oscar.apps.checkout.apps as apps
from django.urls import path
from oscar.core.loading import get_class


class CheckoutConfig(apps.CheckoutConfig):
    name = "shop.checkout"

    def ready(self):
        super().ready()
        self.card_setup_view = get_class("checkout.views", "CardSetupView")
        self.card_payment_view = get_class("checkout.views", "CardPaymentView")
        self.card_return_view = get_class("checkout.views", "CardReturnView")
        from shop.booking.views import BookingDetailsView

        from .wallets import WalletChoiceView

        self.wallet_choice_view = WalletChoiceView

        self.booking_view = BookingDetailsView

    def get_urls(self):
        urls = super().get_urls()
        urls += self.post_process_urls(
            [
                path("card/setup/", self.card_setup_view.as_view(), name="card-setup"),
                path("card/pay/", self.card_payment_view.as_view(), name="card-pay"),
                path("card/return/", self.card_return_view.as_view(), name="card-return"),
                # use or not a programme wallet for this order (portal/programmes)
                path("wallet/", self.wallet_choice_view.as_view(), name="wallet-choice"),
                # who each service is for (shop/booking), between the index and payment
                path("booking/", self.booking_view.as_view(), name="booking-details"),
            ]
        )
        return urls
