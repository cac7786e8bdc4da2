from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingConfig(AppConfig):
    """Who a service is for and when: collected at checkout, kept on the order lines."""

    name = "shop.booking"
    label = "booking"
    verbose_name = _("Service bookings")
    default_auto_field = "django.db.models.AutoField"

    def ready(self):
        from . import receivers  # noqa: F401  (order placed → booking copied, lines routed, e-mails)
