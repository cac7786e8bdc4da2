from oscar.apps.dashboard.catalogue import formsets as core
from oscar.core.loading import get_model

from .access import manages_catalogue

StockRecord = get_model("partner", "StockRecord")


class StockRecordFormSet(core.StockRecordFormSet):
    """Offers are made and withdrawn by the portals' specs: in the dashboard a cooperative
    changes its existing offers (no new row, no delete: it can make one unavailable), and a
    catalogue manager, who looks after the service, does not touch the cooperatives' offers."""

    def __init__(self, product_class, user, *args, **kwargs):
        managing = manages_catalogue(user)
        if not user.is_staff:
            self.extra = 0
            self.can_delete = False
            if managing:
                kwargs["queryset"] = StockRecord.objects.none()
        super().__init__(product_class, user, *args, **kwargs)
        if managing:
            self.require_user_stockrecord = False

    def set_initial_data(self):
        if self.forms:  # Oscar pre-selects the partner on the first (extra) row
            super().set_initial_data()
