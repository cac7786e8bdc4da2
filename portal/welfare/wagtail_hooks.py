"""Admin: the welfare managers' "Welfare" menu and its views (office.py)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import office
from .citizens import is_welfare_manager


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("welfare/", office.index, name="welfare_admin_index"),
        path("welfare/<int:territory_id>/", office.citizens, name="welfare_admin_citizens"),
        path(
            "welfare/<int:territory_id>/cittadini/<int:citizen_id>/",
            office.citizen,
            name="welfare_admin_citizen",
        ),
        path("welfare/<int:territory_id>/registro/", office.log, name="welfare_admin_log"),
        path(
            "welfare/<int:territory_id>/punti-sociali/",
            office.social_points,
            name="welfare_admin_social_points",
        ),
        path(
            "welfare/<int:territory_id>/punti-sociali/<int:point_id>/",
            office.social_point,
            name="welfare_admin_social_point",
        ),
    ]


class WelfareMenuItem(MenuItem):
    def is_shown(self, request):
        return is_welfare_manager(request.user)


@hooks.register("register_admin_menu_item")
def welfare_menu_item():
    return WelfareMenuItem(
        _("Welfare"), reverse("welfare_admin_index"), icon_name="group", order=260
    )


@hooks.register("register_admin_urls")
def register_assisted_admin_urls():
    """Assisted mode: acting on a citizen's behalf (assisted_office.py)."""
    from . import assisted_office

    return [
        path(
            "welfare/<int:territory_id>/assistenza/nuovo/",
            assisted_office.new_citizen,
            name="welfare_admin_new_citizen",
        ),
        path(
            "welfare/<int:territory_id>/cittadini/<int:citizen_id>/assistenza/",
            assisted_office.assist,
            name="welfare_admin_assist",
        ),
        path(
            "welfare/<int:territory_id>/cittadini/<int:citizen_id>/assistenza/avvia/",
            assisted_office.start,
            name="welfare_admin_assist_start",
        ),
        path(
            "welfare/<int:territory_id>/assistenza/registro/",
            assisted_office.log,
            name="welfare_admin_assisted_log",
        ),
    ]
