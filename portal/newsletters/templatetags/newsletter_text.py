"""Filters of the plain-text issue: rich text as readable text with its links spelled out."""

import re
from html import unescape

from django import template
from django.utils.html import strip_tags
from wagtail.rich_text import expand_db_html

from ..emails import tagged

register = template.Library()
LINK = re.compile(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', re.S)


@register.filter
def underline(text: str, char: str = "=") -> str:
    return char * len(str(text))


@register.filter
def campaign(url: str, tag: str) -> str:
    return tagged(url, tag) if url.startswith(("http://", "https://")) else url


@register.filter
def plain_text(value, tag: str) -> str:
    """A rich-text block as text: paragraphs kept, each link as "text (address)"."""
    html = expand_db_html(str(getattr(value, "source", value)))
    html = LINK.sub(lambda m: f"{m.group(2)} ({campaign(unescape(m.group(1)), tag)})", html)
    html = re.sub(r"</p>|<br\s*/?>|</li>", "\n", html)
    html = re.sub(r"<li[^>]*>", "- ", html)
    return unescape(strip_tags(html)).strip() + "\n"
