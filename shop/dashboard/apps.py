import oscar.apps.dashboard.apps as apps
from django.apps import apps as django_apps
from django.urls import include, path


class DashboardConfig(apps.DashboardConfig):
    name = "shop.dashboard"

    def ready(self):
        super().ready()
        from . import access

        access.connect()
        self.counter_app = django_apps.get_app_config("counter_dashboard")

    def get_urls(self):
        """Oscar's dashboard, and the cooperatives' counter (shop/dashboard/counter)."""
        return [
            *super().get_urls(),
            path("counter/", include(self.counter_app.urls[0])),
        ]
