"""``{% load portal_cache %}``: ``{% portalcache "name" dependency … %}…{% endportalcache %}``,
the one way a template keeps a fragment between requests.

It is Wagtail's ``{% wagtailcache %}`` (Django's ``{% cache %}``, skipped in previews) with the
dimensions every fragment of a portal depends on always in its key, so that no template can
forget one:

- the portal's generation (portal/territories/generations.py): a publish, a settings save, an offer
  or a change of the shared catalogue makes every fragment of that portal stale at once;
- the portal, its host and the scheme (links and the SEO head name them);
- the theme (the same content is laid out differently);
- the active language.

What else a fragment shows is named after its name: ``page.cache_key`` for the content of a
page, a listing's validated page number and filter… (``when=<condition>``, last, renders it
every time while the condition is false). Never the query string itself: a new
``?q=`` must not make a new entry. Never anything that depends on the visitor (their basket,
account, messages, a form's CSRF token): that stays outside the fragment.

Fragments live in the ``default`` cache (Redis in production, evictable) for
``PORTAL_FRAGMENT_CACHE_SECONDS`` (0: off). Outside a request (an e-mail) and in previews the
content is rendered every time. ``fragment_key()`` is the key, tested dimension by dimension
in tests/test_fragment_cache.py.
"""

from django import template
from django.core.cache.utils import make_template_fragment_key
from django.http import HttpRequest
from django.template.base import FilterExpression
from django.utils.translation import get_language
from wagtail.templatetags.wagtail_cache import WagtailCacheNode

from portal.defaults import setting
from portal.territories.generations import generation
from portal.territories.themes import current_theme

register = template.Library()


def dimensions(request: HttpRequest) -> list[str]:
    """What every fragment of the request's portal depends on, in key order."""
    territory = getattr(request, "territory", None)
    return [
        generation(territory.pk if territory else None),
        str(territory.pk if territory else ""),
        request.get_host(),
        request.scheme,
        str(current_theme() or ""),
        get_language() or "",
    ]


def fragment_key(name: str, request: HttpRequest, vary_on: list) -> str:
    """The cache key of fragment ``name`` for ``request`` and the fragment's own ``vary_on``."""
    return make_template_fragment_key(name, [*dimensions(request), *vary_on])


class _Always:
    """A ``vary_on`` entry of Django's CacheNode that resolves to this request's dimensions."""

    def resolve(self, context) -> str:
        return "\n".join(dimensions(context["request"]))


class _Seconds:
    def resolve(self, context) -> int:
        return setting("PORTAL_FRAGMENT_CACHE_SECONDS")


class PortalCacheNode(WagtailCacheNode):
    def __init__(
        self, nodelist, name: str, vary_on: list[FilterExpression], when: FilterExpression | None
    ):
        super().__init__(nodelist, _Seconds(), name, [_Always(), *vary_on], None)
        self.when = when

    def render(self, context) -> str:
        if (
            not setting("PORTAL_FRAGMENT_CACHE_SECONDS")
            or context.get("request") is None
            or (self.when is not None and not self.when.resolve(context))
        ):
            return self.nodelist.render(context)
        return super().render(context)  # Wagtail's: skipped in previews; then Django's


@register.filter
def keepable(stream) -> bool:
    """False when a block of ``stream`` (a StreamField's value) shows a form to the visitor,
    with their CSRF token (its block class says ``cacheable = False``): the fragment that
    holds it is then rendered every time (``when=page.body|keepable``)."""
    if not stream:
        return True
    # by each block's type, read from the stored data: iterating the stream itself would
    # build every block's value (its images, pages and snippets: queries) on a page whose
    # fragment is then served from the cache
    blocks = stream.stream_block.child_blocks
    return all(
        getattr(blocks.get(stream.raw_data[i]["type"]), "cacheable", True)
        for i in range(len(stream))
    )


@register.tag("portalcache")
def portalcache(parser, token) -> PortalCacheNode:
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError(
            '{% portalcache "name" dependency … %}…{% endportalcache %}: a quoted name first, '
            "which tells the fragment from the others, then what else it depends on."
        )
    when = None
    if bits[-1].startswith("when="):  # rendered every time when false (a form inside…)
        when = parser.compile_filter(bits.pop()[len("when=") :])
    nodelist = parser.parse(("endportalcache",))
    parser.delete_first_token()
    vary_on = [parser.compile_filter(bit) for bit in bits[2:]]
    return PortalCacheNode(nodelist, bits[1][1:-1], vary_on, when)
