"""A shared wish list, opened by its link, shows the services of the portal it is opened on:
the owner's Sondrio list opens on Sondrio with its services, and shows none of them on
Napoli, which does not sell them."""

from django.conf import settings
from django.core.paginator import Paginator
from oscar.apps.wishlists import views as core
from oscar.apps.wishlists.views import *  # noqa: F403

from shop.customer.offered import saved_here


class WishListView(core.WishListView):
    def get_context_data(self, **kwargs):
        # Oscar's own, with the lines of this portal's services instead of all of them
        ctx = super(core.WishListView, self).get_context_data(**kwargs)
        lines = saved_here(
            self.object.lines.filter(product__isnull=False).order_by("pk"),
            getattr(self.request, "territory", None),
        )
        paginator = Paginator(lines, settings.OSCAR_PRODUCTS_PER_PAGE)
        ctx["wishlist_title"] = str(self.object)
        ctx["page_obj"] = paginator.get_page(self.request.GET.get("page"))
        ctx["paginator"] = paginator
        return ctx
