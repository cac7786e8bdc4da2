"""Oscar's basket views, with a campaign's code refused, clearly, on a portal the campaign
does not target (portal/campaigns/offers.py)."""

from django.contrib import messages
from oscar.apps.basket import views as core
from oscar.apps.basket.views import *  # noqa: F403


class BasketView(core.BasketView):
    def formset_valid(self, formset):
        # the basket's messages after a change made on the basket page itself: no "View
        # basket" button (Oscar offers it when the change is not sent over AJAX)
        self.request.basket.changed_on_basket_page = True
        return super().formset_valid(formset)

    def get_upsell_messages(self, basket):
        """Oscar's, over the offers the basket was last given (by the middleware's
        application, or the view's after a change): Oscar loads them all a second time,
        vouchers, conditions and campaigns included, on every basket page."""
        offers = getattr(basket, "offers_considered", None)
        if offers is None:
            return super().get_upsell_messages(basket)
        applied = list(basket.offer_applications.offers.values())
        return [
            {"message": offer.get_upsell_message(basket), "offer": offer}
            for offer in offers
            if offer.is_condition_partially_satisfied(basket) and offer not in applied
        ]


class VoucherAddView(core.VoucherAddView):
    def apply_voucher_to_basket(self, voucher):
        from portal.campaigns.offers import refusal_elsewhere

        refusal = refusal_elsewhere(voucher, getattr(self.request, "territory", None))
        if refusal:
            messages.error(self.request, refusal)
            return None
        return super().apply_voucher_to_basket(voucher)
