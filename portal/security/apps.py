from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    """The hardening every portal shares: sign-in throttling and two-factor codes, the security
    headers, and spreadsheet exports whose cells cannot run as formulas."""

    name = "portal.security"
    label = "security"
    verbose_name = _("Security")

    def ready(self) -> None:
        from . import receivers, spreadsheets  # noqa: F401

        spreadsheets.make_library_exports_inert()
