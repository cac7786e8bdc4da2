"""Product pages: a product the territory does not offer is a 404 there."""

from dataclasses import dataclass
from decimal import Decimal

from oscar.apps.catalogue.views import ProductDetailView as CoreProductDetailView
from oscar.core.loading import get_class

from .scoping import offered_in


class ProductDetailView(CoreProductDetailView):
    def get_queryset(self):
        # the page shows the categories (icon, breadcrumb) and the offering cooperative
        return offered_in(self.request.territory).prefetch_related(
            "categories", "stockrecords__partner"
        )

    def get_alert_status(self):  # services have no stock alerts
        return False

    def get_alert_form(self):
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["packages"] = packages_of(self.object, self.request.strategy)
        return context


@dataclass(frozen=True)
class PackageChoice:
    """One package of a service, as the territory sells it (e.g. 5 sessions at 80 €)."""

    product: object
    sessions: int | None
    price: Decimal | None
    currency: str
    provider: str


def packages_of(product, strategy) -> list[PackageChoice]:
    """The packages of a service sold in packages, with this territory's prices; else []."""
    if not product.is_parent:
        return []
    choices = []
    for child in product.get_public_children().order_by("sessions", "pk"):
        info = strategy.fetch_for_product(child)
        if not info.availability.is_available_to_buy:
            continue  # not sold in this territory
        choices.append(
            PackageChoice(
                product=child,
                sessions=child.sessions,
                price=info.price.incl_tax if info.price.exists else None,
                currency=info.price.currency,
                provider=info.stockrecord.partner.name if info.stockrecord else "",
            )
        )
    return choices


CatalogueView = get_class("search.views", "CatalogueView")
ProductCategoryView = get_class("search.views", "ProductCategoryView")
