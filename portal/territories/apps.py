from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoriesConfig(AppConfig):
    name = "portal.territories"
    label = "territories"
    verbose_name = _("Territories")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers portal.E001)
        from .generations import connect

        connect()
        from . import frontend_cache

        frontend_cache.connect()
        from .admin_forms import scope_media_filters

        scope_media_filters()
