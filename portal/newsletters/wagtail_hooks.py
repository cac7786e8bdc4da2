"""The admin: the send page of each issue, linked from the issue's header and listing."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from . import admin_views
from .models import NewsletterIssuePage


@hooks.register("register_admin_urls")
def newsletter_admin_urls():
    return [
        path("newsletters/<int:page_id>/send/", admin_views.send_issue, name="newsletters_send"),
        path(
            "newsletters/<int:page_id>/send-test/",
            admin_views.send_test,
            name="newsletters_send_test",
        ),
    ]


def _send_button(page, user):
    from .access import in_communications

    if page.specific_class is NewsletterIssuePage and (
        user.is_superuser or in_communications(user)
    ):
        yield Button(
            _("Send"),
            reverse("newsletters_send", args=[page.pk]),
            icon_name="mail",
            priority=5,
        )


@hooks.register("register_page_header_buttons")
def issue_header_buttons(page, user, view_name, next_url=None):
    yield from _send_button(page, user)


@hooks.register("register_page_listing_more_buttons")
def issue_listing_buttons(page, user, next_url=None):
    yield from _send_button(page, user)
