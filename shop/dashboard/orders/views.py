"""Oscar's order dashboard, scoped (see :mod:`.scoping`), with "schedule" as a line action."""

import copy
from decimal import Decimal

from django.contrib import messages
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from oscar.apps.dashboard.orders import views as core
from oscar.core.loading import get_model

from shop.order import statuses

from .scoping import (
    handles_whole_order,
    lines_for,
    order_for_or_404,
    orders_for,
    staffed_territories,
    visible_lines,
    visible_totals,
)

OrderNote = get_model("order", "OrderNote")


class OrderStatsView(core.OrderStatsView):
    def get_stats(self, filters):
        """Oscar's statistics, over the orders this user may see."""
        user = self.request.user
        orders = orders_for(user).filter(**filters)
        lines = core.Line.objects.filter(order__in=orders)
        if not user.is_staff:  # a cooperative counts its own lines of shared orders
            lines = lines & visible_lines(user)
        totals = lines.aggregate(count=Count("id"), revenue=Sum("line_price_incl_tax"))
        return {
            "total_orders": orders.count(),
            "total_lines": totals["count"],
            "total_revenue": totals["revenue"] or Decimal("0.00"),
            "order_status_breakdown": orders.order_by("status")
            .values("status")
            .annotate(freq=Count("id")),
        }


class OrderListView(core.OrderListView):
    def dispatch(self, request, *args, **kwargs):
        self.base_queryset = orders_for(request.user).order_by("-date_placed")
        if not (request.user.is_staff or staffed_territories(request.user).exists()):
            # a cooperative changes its lines, on the order's page; not whole orders in bulk
            self.actions = ("download_selected_orders",)
        return super(core.OrderListView, self).dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Oscar's list shows order.total_incl_tax: for a cooperative, only its own lines'
        # worth (on these in-memory rows, which the list never saves)
        orders = context["orders"]
        totals = visible_totals(self.request.user, orders)
        for order in orders:
            order.total_incl_tax = totals[order.pk]
        return context

    def download_selected_orders(self, request, orders):
        self.visible_totals = visible_totals(request.user, orders)
        return super().download_selected_orders(request, orders)

    def get_row_values(self, order):
        """Oscar's CSV row; a cooperative's holds its own lines' worth and item count (the
        lines are prefetched scoped, see :func:`.scoping.orders_for`)."""
        row = super().get_row_values(order)
        row["value"] = self.visible_totals[order.pk]
        return row


class OrderDetailView(core.OrderDetailView):
    line_actions = (*core.OrderDetailView.line_actions, "schedule_lines", "refund_lines")

    def get_object(self, queryset=None):
        return order_for_or_404(self.request.user, self.kwargs["number"])

    def get_order_lines(self):
        return lines_for(self.request.user, self.object)

    def handle_order_action(self, request, order, action):
        if not handles_whole_order(request.user, order):
            raise core.Http404()  # a cooperative's staff act on their lines only
        return super().handle_order_action(request, order, action)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, order = self.request.user, self.object
        context["whole_order"] = handles_whole_order(user, order)
        if not context["whole_order"]:
            # a cooperative sees what its own lines are worth, not the whole order: the
            # page shows a copy of the order with those totals (never saved)
            lines = list(context["lines"])
            shown = copy.copy(order)
            shown.total_incl_tax = sum(
                (line.line_price_incl_tax for line in lines), Decimal("0.00")
            )
            shown.total_excl_tax = sum(
                (line.line_price_excl_tax for line in lines), Decimal("0.00")
            )
            shown.shipping_incl_tax = shown.shipping_excl_tax = Decimal("0.00")
            context["order"] = shown
        context["line_status_labels"] = [
            (code, statuses.label(code)) for code in core.Line.all_statuses()
        ]
        return context

    def schedule_lines(self, request, order, lines, quantities):
        """Give the selected lines a date and move them to "scheduled"."""
        when = parse_datetime(request.POST.get("scheduled_for", ""))
        if when is None:
            messages.error(request, _("Choose a valid date and time."))
            return self.reload_page()
        if timezone.is_naive(when):
            when = timezone.make_aware(when)
        invalid = [ln for ln in lines if statuses.SCHEDULED not in ln.available_statuses()]
        if invalid:
            messages.error(
                request,
                _("Line %(line)s cannot be scheduled now (it is %(status)s).")
                % {"line": invalid[0].pk, "status": statuses.label(invalid[0].status)},
            )
            return self.reload_page()
        for line in lines:
            booking = getattr(line, "booking", None)  # loaded by lines_for
            if booking is not None:  # the status e-mail tells the citizen the date
                booking.scheduled_for = when
                booking.save(update_fields=["scheduled_for", "updated"])
            line.set_status(statuses.SCHEDULED)
            order.notes.create(
                user=request.user,
                message=_("Line %(line)s scheduled for %(when)s.")
                % {"line": line.pk, "when": timezone.localtime(when).strftime("%d/%m/%Y %H:%M")},
                note_type=OrderNote.SYSTEM,
            )
        messages.info(request, _("The lines have been scheduled."))
        return self.reload_page()

    def refund_lines(self, request, order, lines, quantities):
        """Refund the selected lines: programme credit back to its wallets, the rest by card
        (shop.payment.refunds.refund_line); a line refunded before changes nothing."""
        if not (
            handles_whole_order(request.user, order) and request.user.has_perm("order.change_order")
        ):
            raise core.Http404()
        from shop.payment.refunds import RefundRefused, refund_line

        wallets = card = Decimal("0.00")
        try:
            for line in lines:
                done = refund_line(order, line, request.user)
                wallets, card = wallets + done.wallets, card + done.card
        except RefundRefused as error:
            messages.error(request, str(error))
            return self.reload_page()
        messages.info(
            request,
            _("Refunded: %(wallets)s to programme wallets, %(card)s by card.")
            % {"wallets": wallets, "card": card},
        )
        return self.reload_page()


class LineDetailView(core.LineDetailView):
    def get_object(self, queryset=None):
        order = order_for_or_404(self.request.user, self.kwargs["number"])
        line = lines_for(self.request.user, order).filter(pk=self.kwargs["line_id"]).first()
        if line is None:
            raise core.Http404()
        return line


class ShippingAddressUpdateView(core.ShippingAddressUpdateView):
    def get_object(self, queryset=None):
        order = order_for_or_404(self.request.user, self.kwargs["number"])
        if not handles_whole_order(self.request.user, order):
            raise core.Http404()
        return core.get_object_or_404(self.model, order=order)
