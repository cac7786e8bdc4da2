import os

from django.apps import apps
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal.content import link_choosers
from portal.content import views as content_views
from portal.defaults import setting
from portal.newsletters.receivers import tracking_webhook
from portal.programmes import transparency_views
from portal.security import views as security_views
from portal.territories import views as territory_views

# EMAIL_PROVIDER (portal/settings/base.py); Postmark's format where none is set (development)
_provider = os.environ.get("EMAIL_PROVIDER") or "postmark"
mail_webhooks = [
    path(
        f"{_provider}/tracking/",
        tracking_webhook(_provider),
        name=f"{_provider}_tracking_webhook",
    )
]

urlpatterns = [
    *link_choosers.urlpatterns,  # Wagtail's link choosers, answering bad input with a form error
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    # the mail provider's webhooks (bounces, complaints), never with a language prefix
    # the bounce and complaint webhook of the configured mail provider only (anymail's inbound
    # webhooks and the other providers' need keys we do not have: they would answer 500)
    path("anymail/", include(mail_webhooks)),
    path("portals/", territory_views.portal_list, name="portal-list"),
    path("security/", include("portal.security.urls")),
    # Stripe calls the webhook on any portal host, never with a language prefix
    path("shop/payment/", include("shop.payment.urls")),
    # the transparency page's open data, the same in every language (docs/transparency.md)
    path("trasparenza/dati.csv", transparency_views.data_csv, name="transparency-csv"),
    path("trasparenza/dati.json", transparency_views.data_json, name="transparency-json"),
    path("sitemap.xml", content_views.sitemap, name="portal-sitemap"),
    path("robots.txt", content_views.robots_txt, name="portal-robots"),
    # each portal's colours, the address versioned by their hash (portal/territories/palette.py)
    re_path(
        r"^theme/palette-(?P<version>[0-9a-f]{1,64})\.css$",
        territory_views.palette,
        name="portal-palette",
    ),
]

if setting("PORTAL_SERVE_MEDIA"):  # the demo and development: each upload on its portal's host
    from portal.territories import media

    urlpatterns += media.urlpatterns

urlpatterns += i18n_patterns(
    path("shop/giftcards/", include("shop.giftcards.urls")),
    # before Oscar's: its customer logout also answers GET (portal/security/views.py)
    path("shop/accounts/logout/", security_views.logout),
    path("shop/", include(apps.get_app_config("oscar").urls[0])),
    path("eventi/", include("portal.events.urls")),
    path("programmi/", include("portal.programmes.urls")),
    path("welfare-aziendale/", include("portal.employers.urls")),
    path("trasparenza/", transparency_views.transparency, name="transparency"),
    path("", include("portal.welfare.urls")),  # /punti-sociali/, /la-mia-fascia/
    path("newsletter/", include("portal.newsletters.urls")),
    path("search/", content_views.search, name="portal-search"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
