from oscar.apps.dashboard.catalogue import mixins as core

from .access import offer_actions


class ProductBulkActionMixin(core.ProductBulkActionMixin):
    def get_actions(self):
        """A cooperative bulk-sets its own prices; making services public or not is the
        platform's (it would hide or show them on every portal)."""
        return offer_actions(self.request.user, super().get_actions())
