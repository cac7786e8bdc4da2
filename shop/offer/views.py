"""Offers and ranges list the services offered on the request's portal only.

Ranges and site offers are the platform's (a campaign may target several portals); what a
portal shows of them is its own catalogue's share (:func:`shop.catalogue.scoping.offered_in`).
An offer or range with nothing on offer here is a 404 on this portal.
"""

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from oscar.apps.offer import views as core
from oscar.apps.offer.views import *  # noqa: F403
from oscar.core.loading import get_model

from shop.catalogue.scoping import offered_in

RangeProduct = get_model("offer", "RangeProduct")


def offered_here(products: QuerySet, request) -> QuerySet:
    """The services of ``products`` offered on the request's portal (a service sold in
    packages counts when its packages are in ``products``)."""
    ids = products.values("pk")
    return (
        offered_in(getattr(request, "territory", None))
        .filter(Q(pk__in=ids) | Q(children__in=ids))
        .distinct()
    )


class OfferListView(core.OfferListView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shown = []
        for offer in context["offers"]:
            # the template shows offer.products_here, never the platform-wide offer.products
            offer.products_here = offered_here(offer.products(), self.request)
            if not offer.has_products or offer.products_here.exists():
                shown.append(offer)
        context["offers"] = context["object_list"] = shown
        return context


class OfferDetailView(core.OfferDetailView):
    def get_queryset(self):
        products = offered_here(self.offer.products(), self.request)
        if not products.exists():
            raise Http404
        return products


class RangeDetailView(core.RangeDetailView):
    def get_queryset(self):
        products = offered_here(self.range.all_products().browsable(), self.request)
        if not products.exists():
            raise Http404
        # the editor's order within this range (a join on rangeproduct would repeat a
        # service that is in several ranges)
        position = RangeProduct.objects.filter(range=self.range, product=OuterRef("pk"))
        return products.annotate(
            range_position=Subquery(position.values("display_order")[:1])
        ).order_by(F("range_position").asc(nulls_last=True), "title")
