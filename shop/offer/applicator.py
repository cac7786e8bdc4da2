"""Oscar's applicator, with a campaign's offers only on the portals the campaign targets.

A campaign (portal/campaigns) may run on some portals only; its offer, and the offer of its
codes, is left out of a basket of any other portal. Their dates are Oscar's own (the offer's
and the vouchers' start and end).
"""

from oscar.apps.offer.applicator import Applicator as CoreApplicator


class Applicator(CoreApplicator):
    def get_offers(self, basket, user=None, request=None):
        from portal.campaigns.offers import offers_elsewhere

        offers = super().get_offers(basket, user, request)
        territory_id = getattr(basket, "territory_id", None)
        if territory_id is None and request is not None:
            territory_id = getattr(getattr(request, "territory", None), "pk", None)
        elsewhere = offers_elsewhere((o.pk for o in offers), territory_id)
        offers = [o for o in offers if o.pk not in elsewhere]
        # the basket page's upsell messages weigh the offers of the basket's last application
        # (shop/basket/views.py) instead of loading them all again
        basket.offers_considered = offers
        return offers
