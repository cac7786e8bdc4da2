"""The account's wish lists, each portal showing and accepting its own services only."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from oscar.apps.customer.wishlists import views as core
from oscar.apps.customer.wishlists.views import *  # noqa: F403

from shop.customer.offered import offered_products, saved_here


def _territory(request):
    return getattr(request, "territory", None)


def offered_product_or_404(request, pk):
    """The product ``pk`` if this portal offers it: another portal's is not added here."""
    return get_object_or_404(offered_products(_territory(request)), pk=pk)


class WishListListView(core.WishListListView):
    def get_queryset(self):
        here = offered_products(_territory(self.request)).values("pk")
        return (
            super()
            .get_queryset()
            .annotate(services_here=Count("lines", filter=Q(lines__product__in=here)))
        )


class WishListDetailView(core.WishListDetailView):
    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["queryset"] = saved_here(self.object.lines.all(), _territory(self.request))
        return kwargs


class WishListCreateView(core.WishListCreateView):
    def dispatch(self, request, *args, **kwargs):
        if "product_pk" in kwargs:
            offered_product_or_404(request, kwargs["product_pk"])
        return super().dispatch(request, *args, **kwargs)


class WishListCreateWithProductView(core.WishListCreateWithProductView):
    def post(self, request, *args, **kwargs):
        offered_product_or_404(request, kwargs["product_pk"])
        return super().post(request, *args, **kwargs)


class WishListAddProduct(core.WishListAddProduct):
    def dispatch(self, request, *args, **kwargs):
        offered_product_or_404(request, kwargs["product_pk"])
        return super().dispatch(request, *args, **kwargs)


class WishListRemoveProduct(core.WishListRemoveProduct):
    def get_object(self, queryset=None):
        line = super().get_object(queryset)
        get_object_or_404(
            saved_here(type(line).objects.all(), _territory(self.request)), pk=line.pk
        )
        return line


class WishListMoveProductToAnotherWishList(core.WishListMoveProductToAnotherWishList):
    def dispatch(self, request, *args, **kwargs):
        self.fetch_line(request.user, kwargs["key"], line_pk=kwargs["line_pk"])
        get_object_or_404(
            saved_here(type(self.line).objects.all(), _territory(request)), pk=self.line.pk
        )
        return super().dispatch(request, *args, **kwargs)
