"""The admin's Campaigns menu item and views (portal/campaigns/admin_views.py)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views
from .access import may_run_campaigns


@hooks.register("register_admin_urls")
def campaign_admin_urls():
    return [
        path("campagne/", admin_views.index, name="campaigns_index"),
        path("campagne/nuova/", admin_views.edit, name="campaigns_add"),
        path("campagne/<int:campaign_id>/", admin_views.edit, name="campaigns_edit"),
        path(
            "campagne/<int:campaign_id>/duplica/",
            admin_views.duplicate_view,
            name="campaigns_duplicate",
        ),
        path("campagne/<int:campaign_id>/codici/", admin_views.codes, name="campaigns_codes"),
        path(
            "campagne/<int:campaign_id>/codici.csv",
            admin_views.codes_export,
            name="campaigns_codes_csv",
        ),
        path(
            "campagne/<int:campaign_id>/risultati/",
            admin_views.results_view,
            name="campaigns_results",
        ),
        path(
            "campagne/<int:campaign_id>/risultati.csv",
            admin_views.results_export,
            name="campaigns_results_csv",
        ),
    ]


class CampaignsMenuItem(MenuItem):
    def is_shown(self, request):
        return may_run_campaigns(request.user)


@hooks.register("register_admin_menu_item")
def campaigns_menu_item():
    return CampaignsMenuItem(
        _("Campaigns"), reverse("campaigns_index"), icon_name="pick", order=250
    )
