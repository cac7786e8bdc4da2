from django import template

from ..forms import CodeForm
from ..redemption import plan_tender, tender_lines_for_basket
from ..session import applied_cards

register = template.Library()


@register.simple_tag
def giftcards_for_basket(request, basket) -> dict:
    """The vouchers applied on this portal and what each would pay of ``basket``."""
    cards = applied_cards(request)
    plan = None
    if cards and not basket.is_empty:
        plan = plan_tender(basket.total_incl_tax, cards, tender_lines_for_basket(basket))
    rows = [(card, plan.amount_for(card) if plan else None) for card in cards]
    return {"rows": rows, "plan": plan, "form": CodeForm()}
