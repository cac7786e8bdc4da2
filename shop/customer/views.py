"""The account's order pages show the portal's own orders only.

A citizen signed in on Napoli sees, opens and re-orders Napoli's orders; a Sondrio order is
a 404 there (re-ordering it would put a service of another territory in Napoli's basket).
"""

from django.shortcuts import get_object_or_404
from oscar.apps.customer import views as core
from oscar.apps.customer.views import *  # noqa: F403
from oscar.core.loading import get_model

Order = get_model("order", "Order")


def own_orders(request):
    """The signed-in person's orders placed on this request's portal."""
    return Order._default_manager.filter(
        user=request.user, territory=getattr(request, "territory", None)
    )


class OrderHistoryView(core.OrderHistoryView):
    def get_queryset(self):
        return super().get_queryset().filter(territory=getattr(self.request, "territory", None))


class OrderDetailView(core.OrderDetailView):
    def get_object(self, queryset=None):
        return get_object_or_404(own_orders(self.request), number=self.kwargs["order_number"])


class OrderLineView(core.OrderLineView):
    def get_object(self, queryset=None):
        order = get_object_or_404(own_orders(self.request), number=self.kwargs["order_number"])
        return order.lines.get(id=self.kwargs["line_id"])
