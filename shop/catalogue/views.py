"""Product pages: a product the territory does not offer is a 404 there."""

from oscar.apps.catalogue.views import ProductDetailView as CoreProductDetailView
from oscar.core.loading import get_class

from .scoping import offered_in


class ProductDetailView(CoreProductDetailView):
    def get_queryset(self):
        return offered_in(self.request.territory)

    def get_alert_status(self):  # services have no stock alerts
        return False

    def get_alert_form(self):
        return None


CatalogueView = get_class("search.views", "CatalogueView")
ProductCategoryView = get_class("search.views", "ProductCategoryView")
