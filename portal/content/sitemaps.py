"""``/sitemap.xml`` of a portal: its pages in every language, then its territory's services.

Wagtail's own sitemap lists one tree (the site's root page); a portal has one tree per
language, so ours starts from every translation of the root page. Addresses are written
for the host the sitemap was asked on.
"""

from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.models import Page


class PortalPagesSitemap(WagtailSitemap):
    def items(self):
        territory = self.request.territory
        root = Page.objects.filter(pk=territory.site.root_page_id).values("translation_key")
        homes = Page.objects.filter(translation_key__in=root, depth=2).values_list(
            "path", flat=True
        )
        in_portal = Q(pk__in=[])
        for path in homes:
            in_portal |= Q(path__startswith=path)
        return (
            Page.objects.live()
            .public()
            .filter(in_portal)
            .order_by("path")
            .defer_streamfields()
            .specific()
        )


class ServicesSitemap(DjangoSitemap):
    """The services the territory offers (their shop pages)."""

    changefreq = "weekly"

    def __init__(self, request):
        self.request = request

    def items(self):
        from shop.catalogue.scoping import offered_in

        return offered_in(self.request.territory).order_by("title", "pk")

    def location(self, product) -> str:
        return product.get_absolute_url()

    def lastmod(self, product):
        return product.date_updated

    def get_domain(self, site=None) -> str:
        return self.request.get_host()
