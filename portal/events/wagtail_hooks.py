"""Admin: a "Registrants (CSV)" button on every webinar, for its own portal's editors."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from .models import WebinarPage
from .views import registrants_csv


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "events/webinars/<int:page_id>/registrants.csv",
            registrants_csv,
            name="events_registrants_csv",
        )
    ]


def _registrants_button(page, priority: int):
    if page.specific_class is not None and issubclass(page.specific_class, WebinarPage):
        yield Button(
            _("Registrants (CSV)"),
            reverse("events_registrants_csv", args=[page.pk]),
            icon_name="download",
            priority=priority,
        )


@hooks.register("register_page_header_buttons")
def page_header_buttons(page, user, view_name, next_url=None):
    yield from _registrants_button(page, 80)


@hooks.register("register_page_listing_more_buttons")
def page_listing_more_buttons(page, user, next_url=None):
    yield from _registrants_button(page, 80)
