from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewslettersConfig(AppConfig):
    name = "portal.newsletters"
    label = "newsletters"
    verbose_name = _("Newsletters")
    default_auto_field = "django.db.models.AutoField"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (bounces and complaints; the worker's resume)
