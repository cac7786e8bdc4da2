"""Stock alerts, each portal listing and accepting alerts for its own services only."""

from oscar.apps.customer.alerts import views as core
from oscar.apps.customer.alerts.views import *  # noqa: F403

from shop.customer.offered import saved_here
from shop.customer.wishlists.views import offered_product_or_404


class ProductAlertListView(core.ProductAlertListView):
    def get_queryset(self):
        return saved_here(super().get_queryset(), getattr(self.request, "territory", None))


class ProductAlertCreateView(core.ProductAlertCreateView):
    def get(self, request, *args, **kwargs):
        offered_product_or_404(request, self.kwargs["pk"])
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        offered_product_or_404(request, self.kwargs["pk"])
        return super().post(request, *args, **kwargs)
