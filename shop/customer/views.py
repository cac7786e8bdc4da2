"""The account's order and e-mail pages show the portal's own only.

A citizen signed in on Napoli sees, opens and re-orders Napoli's orders; a Sondrio order is
a 404 there (re-ordering it would put a service of another territory in Napoli's basket).
"""

from django.shortcuts import get_object_or_404
from oscar.apps.customer import views as core
from oscar.apps.customer.views import *  # noqa: F403
from oscar.core.loading import get_model

from shop.communication.portals import sent_on

Order = get_model("order", "Order")


def own_orders(request):
    """The signed-in person's orders placed on this request's portal."""
    return Order._default_manager.filter(
        user=request.user, territory=getattr(request, "territory", None)
    )


class OrderHistoryView(core.OrderHistoryView):
    def get_queryset(self):
        return super().get_queryset().filter(territory=getattr(self.request, "territory", None))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["other_portals"] = other_portals(
            self.request, Order._default_manager.filter(user=self.request.user)
        )
        return context


class OrderDetailView(core.OrderDetailView):
    def get_object(self, queryset=None):
        return get_object_or_404(own_orders(self.request), number=self.kwargs["order_number"])


class OrderLineView(core.OrderLineView):
    def get_object(self, queryset=None):
        order = get_object_or_404(own_orders(self.request), number=self.kwargs["order_number"])
        return order.lines.get(id=self.kwargs["line_id"])


Email = get_model("communication", "Email")


def other_portals(request, *querysets) -> list:
    """The other portals where the signed-in person has the history of ``querysets``
    (e-mails, orders): the account links to them instead of showing their rows here."""
    from portal.territories.models import Territory

    here = getattr(request, "territory", None)
    ids = set()
    for queryset in querysets:
        ids.update(queryset.exclude(territory=None).values_list("territory", flat=True))
    return list(
        Territory.objects.filter(pk__in=ids)
        .exclude(pk=getattr(here, "pk", None))
        .select_related("site")
        .order_by("name")
    )


class EmailHistoryView(core.EmailHistoryView):
    """The e-mails this portal sent; another portal's are listed there, not here."""

    def get_queryset(self):
        return sent_on(super().get_queryset(), getattr(self.request, "territory", None))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["other_portals"] = other_portals(
            self.request, Email._default_manager.filter(user=self.request.user)
        )
        return context


class EmailDetailView(core.EmailDetailView):
    def get_object(self, queryset=None):
        own = sent_on(
            Email._default_manager.filter(user=self.request.user),
            getattr(self.request, "territory", None),
        )
        return get_object_or_404(own, id=self.kwargs["email_id"])
