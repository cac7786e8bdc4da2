"""Oscar's basket views, with a campaign's code refused, clearly, on a portal the campaign
does not target (portal/campaigns/offers.py)."""

from django.contrib import messages
from oscar.apps.basket import views as core
from oscar.apps.basket.views import *  # noqa: F403


class VoucherAddView(core.VoucherAddView):
    def apply_voucher_to_basket(self, voucher):
        from portal.campaigns.offers import refusal_elsewhere

        refusal = refusal_elsewhere(voucher, getattr(self.request, "territory", None))
        if refusal:
            messages.error(self.request, refusal)
            return None
        return super().apply_voucher_to_basket(voucher)
