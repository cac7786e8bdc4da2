from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "portal.programmes"
    label = "programmes"
    verbose_name = _("Welfare programmes")
    default_auto_field = "django.db.models.BigAutoField"
