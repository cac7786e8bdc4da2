from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmployersConfig(AppConfig):
    name = "portal.employers"
    label = "employers"
    verbose_name = _("Employer welfare")
    default_auto_field = "django.db.models.BigAutoField"
