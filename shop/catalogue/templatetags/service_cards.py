"""``{% service_cards products as cards %}``: the cards of a list of services (see cards.py)."""

from django import template
from django.utils.translation import gettext

from shop.catalogue.cards import ServiceCard, service_cards

register = template.Library()


@register.simple_tag(takes_context=True, name="service_cards")
def service_cards_tag(context, products) -> list[ServiceCard]:
    request = context.get("request")
    strategy = getattr(request, "strategy", None)
    if strategy is None or not products:
        return []
    return service_cards(
        products,
        strategy,
        free_label=gettext("Free"),
        # Translators: the price of a service sold in packages: its cheapest package
        from_label=gettext("from %(price)s"),
    )
