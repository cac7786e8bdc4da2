from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "portal.campaigns"
    label = "campaigns"
    verbose_name = _("Campaigns")
    default_auto_field = "django.db.models.AutoField"

    def ready(self) -> None:
        from . import attribution  # noqa: F401  (arrivals at the basket, orders attributed)
