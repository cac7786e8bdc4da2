"""Oscar's basket middleware, with baskets kept per territory.

Anonymous baskets already differ per portal (the cookie belongs to the host); a signed-in
citizen's basket is looked up by owner *and* territory, so it never follows them to another
portal.

A basket frozen by a card payment the visitor walked away from (3-D Secure left open) is
settled and given back as soon as they come back to it (``shop.checkout.abandonment``).
"""

from django.conf import settings
from django.core.signing import BadSignature, Signer
from oscar.apps.basket.middleware import BasketMiddleware as CoreBasketMiddleware
from oscar.core.loading import get_model

from portal.defaults import setting
from shop.checkout.abandonment import welcome_back

Basket = get_model("basket", "Basket")


class BasketMiddleware(CoreBasketMiddleware):
    def process_response(self, request, response):
        """Oscar's, with the basket cookie not sent along by other sites' requests (SameSite);
        ``OSCAR_BASKET_COOKIE_SECURE`` keeps it to HTTPS in production."""
        response = super().process_response(request, response)
        cookie = response.cookies.get(settings.OSCAR_BASKET_COOKIE_OPEN)
        if cookie is not None and cookie.value:
            cookie["samesite"] = setting("PORTAL_BASKET_COOKIE_SAMESITE")
        return response

    def get_basket(self, request):
        if request._basket_cache is not None:
            return request._basket_cache
        territory = getattr(request, "territory", None)
        cookie_key = self.get_cookie_key(request)
        cookie_basket = self.get_cookie_basket(cookie_key, request, Basket.objects)

        if request.user.is_authenticated:
            baskets = Basket.objects.filter(
                owner=request.user, territory=territory, status__in=(Basket.OPEN, Basket.FROZEN)
            ).order_by("pk")
            usable = [b for b in baskets if b.status == Basket.OPEN or welcome_back(request, b)]
            # a frozen basket still waiting for the bank: the mini basket is not kept
            # (shop/basket/summary.py), so that the next page settles it
            request._basket_frozen_left = len(usable) < len(baskets)
            basket = usable[0] if usable else Basket(owner=request.user, territory=territory)
            for other in usable[1:]:  # e.g. a basket given back beside a newer one
                self.merge_baskets(basket, other)
            if cookie_basket is not None:
                if basket.pk is None:
                    basket.save()
                self.merge_baskets(basket, cookie_basket)
                request.cookies_to_delete.append(cookie_key)
            basket.owner = request.user
        else:
            basket = cookie_basket or Basket(territory=territory)

        request._basket_cache = basket
        return basket

    def get_cookie_basket(self, cookie_key, request, manager):
        if cookie_key not in request.COOKIES:
            return None
        try:
            basket_id = Signer().unsign(request.COOKIES[cookie_key])
        except BadSignature:
            request.cookies_to_delete.append(cookie_key)
            return None
        territory = getattr(request, "territory", None)
        basket = manager.filter(pk=basket_id, owner=None, territory=territory).first()
        if basket is not None and basket.status == Basket.FROZEN and welcome_back(request, basket):
            return basket  # open again
        if basket is None or basket.status != Basket.OPEN:
            request._basket_frozen_left = basket is not None and basket.status == Basket.FROZEN
            request.cookies_to_delete.append(cookie_key)
            return None
        return basket
