"""Admin: the "Employer welfare" menu and its views (admin_views.py)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views
from .access import is_employer_admin


@hooks.register("register_admin_urls")
def register_employers_admin_urls():
    base = "employers/<int:employer_id>/"
    return [
        path("employers/", admin_views.index, name="employers_admin_index"),
        path("employers/new/", admin_views.new_employer, name="employers_admin_new"),
        path(base, admin_views.dashboard, name="employers_admin_dashboard"),
        path(f"{base}figures.csv", admin_views.export, name="employers_admin_export"),
        path(f"{base}employees/", admin_views.employees, name="employers_admin_employees"),
        path(f"{base}import/", admin_views.import_employees, name="employers_admin_import"),
        path(f"{base}invite/", admin_views.invite, name="employers_admin_invite"),
        path(
            f"{base}employees/<int:employee_id>/leaver/",
            admin_views.leaver,
            name="employers_admin_leaver",
        ),
        path(f"{base}plans/new/", admin_views.plan_form, name="employers_admin_plan_new"),
        path(f"{base}plans/<int:plan_id>/", admin_views.plan_form, name="employers_admin_plan"),
        path(
            f"{base}plans/<int:plan_id>/credit/", admin_views.credit, name="employers_admin_credit"
        ),
        path(f"{base}funding/", admin_views.record_funding, name="employers_admin_funding"),
    ]


class EmployersMenuItem(MenuItem):
    def is_shown(self, request):
        return is_employer_admin(request.user)


@hooks.register("register_admin_menu_item")
def employers_menu_item():
    return EmployersMenuItem(
        _("Employer welfare"), reverse("employers_admin_index"), icon_name="group", order=270
    )
