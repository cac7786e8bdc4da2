"""The dashboard's home: its figures over what the user may see (:mod:`.orders.scoping`)."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q, Sum
from django.utils.timezone import now
from oscar.apps.dashboard import views as core
from oscar.core.loading import get_model

from .orders.scoping import orders_for, own_partners, staffed_territories, visible_lines

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")


class IndexView(core.IndexView):
    def get_stats(self):
        """Oscar's figures; for anyone but Oscar staff, the orders and money are those of the
        user's own lines (a shared order's other lines are another cooperative's), and a
        territory's staff see their territory's: its customers and its services too (Oscar
        counts a partner's only, so territory staff saw none)."""
        stats = super().get_stats()
        user = self.request.user
        if user.is_staff:
            return stats
        day_ago = now() - core.timedelta(hours=24)
        orders = orders_for(user)
        lines = visible_lines(user)
        last_day = lines.filter(order__date_placed__gt=day_ago)
        customers = get_user_model().objects.filter(pk__in=orders.values("user_id"))
        offers = StockRecord._default_manager.filter(
            Q(partner__in=own_partners(user)) | Q(territory__in=staffed_territories(user))
        )
        orders_last_day = orders.filter(date_placed__gt=day_ago).count()
        revenue_last_day = last_day.aggregate(s=Sum("line_price_incl_tax"))["s"] or Decimal("0")
        stats.update(
            total_orders_last_day=orders_last_day,
            total_lines_last_day=last_day.count(),
            average_order_costs=(
                (revenue_last_day / orders_last_day).quantize(Decimal("0.01"))
                if orders_last_day
                else Decimal("0.00")
            ),
            total_revenue_last_day=revenue_last_day,
            # Oscar's hourly chart sums orders' totals: give it the lines, dated by their order
            hourly_report_dict=self.get_hourly_report(
                lines.annotate(
                    date_placed=F("order__date_placed"), total_incl_tax=F("line_price_incl_tax")
                )
            ),
            total_orders=orders.count(),
            total_lines=lines.count(),
            total_revenue=lines.aggregate(s=Sum("line_price_incl_tax"))["s"] or Decimal("0.00"),
            total_customers=customers.count(),
            total_customers_last_day=customers.filter(date_joined__gt=day_ago).count(),
            total_products=Product._default_manager.filter(
                pk__in=offers.values("product_id")
            ).count(),
            order_status_breakdown=orders.order_by("status")
            .values("status")
            .annotate(freq=Count("id")),
        )
        return stats
