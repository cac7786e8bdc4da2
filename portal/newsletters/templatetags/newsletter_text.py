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
    urls: list[str] = []

    def spelled_out(match) -> str:
        urls.append(campaign(unescape(match.group(1)), tag))
        return f"{match.group(2)} (\x00{len(urls) - 1}\x00)"

    html = LINK.sub(spelled_out, html)
    html = re.sub(r"</p>|<br\s*/?>|</li>", "\n", html)
    html = re.sub(r"<li[^>]*>", "- ", html)
    text = unescape(strip_tags(html)).strip()
    # the addresses go in after the tags are stripped, which would mangle their "&"
    return re.sub("\x00(\\d+)\x00", lambda m: urls[int(m.group(1))], text) + "\n"
