"""Product pages: a product the territory does not offer is a 404 there."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from oscar.apps.catalogue.views import ProductDetailView as CoreProductDetailView
from oscar.core.loading import get_class, get_model

from portal.territories import generations

from .scoping import offered_in

Option = get_model("catalogue", "Option")
StockRecord = get_model("partner", "StockRecord")


class ProductDetailView(CoreProductDetailView):
    def get_queryset(self):
        # The price and the offering cooperative: this territory's offers with their partner,
        # in one query. The categories (icon, breadcrumb) are read only by the fragments that
        # show them (detail.html), when they are rendered afresh. Whether the service asks for
        # options (the basket form's fields) in the product's own query, as Oscar's listings
        # annotate it (``Product.has_options`` reads these).
        offers = StockRecord.objects.filter(territory=self.request.territory).select_related(
            "partner"
        )
        return (
            offered_in(self.request.territory)
            .annotate(
                has_product_class_options=Exists(
                    Option.objects.filter(productclass=OuterRef("product_class"))
                ),
                has_product_options=Exists(Option.objects.filter(product=OuterRef("pk"))),
            )
            .prefetch_related(Prefetch("stockrecords", queryset=offers))
        )

    def get_object(self, queryset=None):
        """The product with this territory's offers, kept until the portal's generation
        changes (a stock record here, the shared catalogue, a cooperative: generations.py):
        building and running its query is most of the view's own time."""
        if hasattr(self, "object"):
            return self.object
        territory = self.request.territory
        if territory is None:
            raise Http404
        pk = int(self.kwargs["pk"])
        product = generations.remembered(
            "product",
            territory.pk,
            (pk,),
            lambda: self.get_queryset().filter(pk=pk).first(),
        )
        if product is None:
            raise Http404
        return product

    def get_alert_status(self):  # services have no stock alerts
        return False

    def get_alert_form(self):
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["packages"] = packages = packages_of(self.object, self.request.strategy)
        # who provides the service here: shown in the details fragment and part of its key
        # (a cooperative renamed shows at once)
        offer = self.request.strategy.select_stockrecord(self.object)
        context["provider"] = (
            packages[0].provider if packages else offer.partner.name if offer else ""
        )
        context["offer_key"] = offer.pk if offer else ""
        return context


@dataclass(frozen=True)
class PackageChoice:
    """One package of a service, as the territory sells it (e.g. 5 sessions at 80 €)."""

    product: object
    sessions: int | None
    price: Decimal | None
    currency: str
    provider: str
    # the package's price when an income band reduces it (shown with the full price and
    # why) or its fund cannot pay for it (shown with the notice why), else None
    band_price: object = None


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
                band_price=_band_note(info.price, strategy),
            )
        )
    return choices


def _band_note(price, strategy):
    """``price`` if a package's own band note is to be shown: its reduction, or its fund
    too short for it (a band that gives no reduction at all is said once, by the main
    price)."""
    if getattr(price, "why", ""):
        return price
    if getattr(price, "notice", "") and strategy.band_terms.active:
        return price
    return None


CatalogueView = get_class("search.views", "CatalogueView")
ProductCategoryView = get_class("search.views", "ProductCategoryView")
