from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GiftcardsConfig(AppConfig):
    name = "shop.giftcards"
    label = "giftcards"
    verbose_name = _("Gift vouchers")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (issues vouchers when an order is placed)
