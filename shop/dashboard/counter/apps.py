from django.urls import path
from django.utils.translation import gettext_lazy as _
from oscar.core.application import OscarDashboardConfig
from oscar.core.loading import get_class


class CounterDashboardConfig(OscarDashboardConfig):
    """ "Redeem a voucher": cooperative staff spend a paper applicant's letter at the counter.

    Open to dashboard users (``partner.dashboard_access``); the views answer 404 to anyone
    who is not staff of a cooperative (see :mod:`.views`).
    """

    label = "counter_dashboard"
    name = "shop.dashboard.counter"
    verbose_name = _("Counter")

    def configure_permissions(self):
        DashboardPermission = get_class("dashboard.permissions", "DashboardPermission")
        self.permissions_map = {
            "counter-redeem": (DashboardPermission.partner_dashboard_access,),
            "counter-receipt": (DashboardPermission.partner_dashboard_access,),
        }

    def ready(self):
        self.configure_permissions()

    def get_urls(self):
        from . import views

        urls = [
            path("", views.redeem, name="counter-redeem"),
            path("<str:number>/", views.receipt, name="counter-receipt"),
        ]
        return self.post_process_urls(urls)
