"""Where staff find their two-factor sign-in in the Wagtail admin: the account page's
actions and the Settings menu (the Oscar dashboard's link: portal/security/navigation.py)."""

from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

LABEL = _("Two-factor sign-in")


@hooks.register("register_account_menu_item")
def two_factor_account_item(request) -> dict:
    return {
        "url": reverse("security:two-factor"),
        "label": LABEL,
        "help_text": _("Add an authenticator app, or make new recovery codes."),
    }


@hooks.register("register_settings_menu_item")
def two_factor_settings_item() -> MenuItem:
    return MenuItem(
        LABEL, reverse_lazy("security:two-factor"), name="two-factor", icon_name="key", order=900
    )
