"""``{{ product.description|stored_html }}``: stored HTML shown through the sanitiser, never
marked safe as it is (see :mod:`shop.catalogue.richtext`)."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from ..richtext import clean_html

register = template.Library()


@register.filter
def stored_html(value) -> SafeString:
    return mark_safe(clean_html(str(value or "")))  # noqa: S308 (cleaned by nh3 just above)
