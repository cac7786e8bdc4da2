"""Reviews of a service open on the portals that offer it: another portal's service has no
reviews to read, write or vote on here (404), as its product page is a 404 here."""

from django.shortcuts import get_object_or_404
from oscar.apps.catalogue.reviews import views as core
from oscar.apps.catalogue.reviews.views import *  # noqa: F403

from shop.customer.offered import offered_products


class _OfferedHere:
    def dispatch(self, request, *args, **kwargs):
        territory = getattr(request, "territory", None)
        get_object_or_404(offered_products(territory), pk=kwargs["product_pk"])
        return super().dispatch(request, *args, **kwargs)


class CreateProductReview(_OfferedHere, core.CreateProductReview):
    pass


class ProductReviewDetail(_OfferedHere, core.ProductReviewDetail):
    pass


class AddVoteView(_OfferedHere, core.AddVoteView):
    pass


class ProductReviewList(_OfferedHere, core.ProductReviewList):
    pass
