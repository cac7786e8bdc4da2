"""``{% load portal_chrome %}``: ``{% chrome "name" %}…{% endchrome %}`` renders its content
once per portal, theme, language and address, then repeats it until something it shows
changes (portal/territories/chrome.py). For the header, the footer and the shop's
navigation: never for anything that depends on the visitor (their account, basket,
messages) or that a listing shows.

Outside a request (an e-mail, a template rendered on its own) the content is rendered every
time.
"""

from django import template
from django.template.base import Node, NodeList
from django.utils.safestring import SafeString, mark_safe

from portal.territories import chrome

register = template.Library()


class ChromeNode(Node):
    def __init__(self, name: str, nodelist: NodeList):
        self.name = name
        self.nodelist = nodelist

    def render(self, context) -> SafeString:
        prefix = context.get("chrome_prefix")
        if not prefix:
            return self.nodelist.render(context)
        return mark_safe(chrome.fragment(self.name, prefix, lambda: self.nodelist.render(context)))


@register.tag("chrome")
def chrome_tag(parser, token) -> ChromeNode:
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError(
            '{% chrome "name" %}…{% endchrome %}: one quoted name, which tells the fragment '
            "from the others on the same page."
        )
    nodelist = parser.parse(("endchrome",))
    parser.delete_first_token()
    return ChromeNode(bits[1][1:-1], nodelist)
