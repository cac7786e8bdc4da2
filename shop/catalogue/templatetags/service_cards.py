"""Service cards in templates.

``{% service_cards products as cards %}``: the cards of a list of products (see cards.py).
``{% service_card_list cards heading_level item_class %}``: the cards' HTML, each from the
theme's ``oscar/catalogue/partials/service_card.html``.

A card's template sees nothing but the card, the heading level, the item class and the
active language, so the same inputs always give the same HTML: it is remembered per process
(``rendered_card``). The cards themselves are read from the database on every request; what
is saved is only Django's template work, which was most of a listing's time (about a tenth
of a millisecond a card).
"""

from functools import lru_cache

from django import template
from django.template import Context
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from shop.catalogue.cards import ServiceCard, banded_cards, service_cards

register = template.Library()

CARD_TEMPLATE = "oscar/catalogue/partials/service_card.html"


@register.simple_tag(takes_context=True, name="service_cards")
def service_cards_tag(context, products) -> list[ServiceCard]:
    request = context.get("request")
    strategy = getattr(request, "strategy", None)
    if strategy is None or not products:
        return []
    return service_cards(products, strategy)


@register.simple_tag(takes_context=True, name="service_card_list")
def service_card_list_tag(
    context, cards: list[ServiceCard], heading_level, item_class: str
) -> SafeString:
    # the engine's cached loader gives the theme's own template object (one per theme)
    card_template = context.template.engine.get_template(CARD_TEMPLATE)
    level, language = str(heading_level), get_language()
    strategy = getattr(context.get("request"), "strategy", None)
    if strategy is not None:  # a citizen's income band reductions (none: the same cards)
        cards = banded_cards(cards, strategy)
    return mark_safe(
        "".join(rendered_card(card_template, card, level, item_class, language) for card in cards)
    )


@lru_cache(maxsize=4096)
def rendered_card(
    card_template, card: ServiceCard, heading_level: str, item_class: str, language: str | None
) -> SafeString:
    """The HTML of ``card``: a pure function of its arguments (``language`` is the active
    one, which the template's translations use)."""
    context = Context(
        {"card": card, "heading_level": heading_level, "item_class": item_class},
        autoescape=True,
    )
    return mark_safe(card_template.render(context))
