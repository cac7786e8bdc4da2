"""Settings shared by every environment. dev.py, test.py and production.py build on these."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _
from oscar.defaults import *  # noqa: F403  (Oscar's OSCAR_* defaults, overridden below)

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
DEBUG = False
ALLOWED_HOSTS: list[str] = []

INSTALLED_APPS = [
    # our apps first so their templates and translations win
    "portal.territories",
    "portal.content",
    "portal.events",
    "portal.bookshop",
    "portal.ledger",
    "shop.giftcards",
    "shop.booking.apps.BookingConfig",
    # Oscar, with our forks under shop/
    "oscar.config.Shop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "shop.checkout.apps.CheckoutConfig",
    "oscar.apps.address.apps.AddressConfig",
    "oscar.apps.shipping.apps.ShippingConfig",
    "shop.catalogue.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "shop.partner.apps.PartnerConfig",
    "shop.basket.apps.BasketConfig",
    "shop.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "shop.order.apps.OrderConfig",
    "shop.customer.apps.CustomerConfig",
    "shop.search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "shop.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "shop.dashboard.orders.apps.OrdersDashboardConfig",
    "shop.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    "widget_tweaks",
    "haystack",  # before wagtail.search: both define update_index
    "treebeard",
    "sorl.thumbnail",
    "django_tables2",
    # Wagtail
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.territories.middleware.TerritoryMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.territories.admin_scope.AdminScopeMiddleware",
    "portal.territories.page_cache.PageCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "shop.basket.middleware.BasketMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # the request's territory picks its theme's folder first (portal.territories.themes)
        "DIRS": [],
        "APP_DIRS": False,
        "OPTIONS": {
            "loaders": [
                (
                    "portal.territories.themes.ThemeCachedLoader",
                    [
                        "portal.territories.themes.ThemeDirsLoader",
                        "django.template.loaders.app_directories.Loader",
                    ],
                )
            ],
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.template.context_processors.i18n",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.apps.communication.notifications.context_processors.notifications",
                "oscar.core.context_processors.metadata",
                "portal.territories.context_processors.territory",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Every sign-in redirect (login_required, Oscar's account and dashboard) lands on the portal's
# own login page; a URL name, so it is reversed in the request's language (/en/shop/…).
LOGIN_URL = "customer:login"
LOGIN_REDIRECT_URL = "/"

# Italian first: content and interface default to it; a spec picks its own languages.
LANGUAGE_CODE = "it"
LANGUAGES = [
    ("it", _("Italian")),
    ("en", _("English")),
    ("de", _("German")),
    ("fr", _("French")),
    ("sl", _("Slovenian")),
]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
# A page submitted for translation gets a draft in each language, not a live copy of the
# source text: translations are published through moderation (portal/content/translations.py).
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
LOCALE_PATHS = [BASE_DIR / "portal" / "locale"]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
STATICFILES_DIRS = [
    ("bootstrap-italia", BASE_DIR / "node_modules" / "bootstrap-italia" / "dist"),
    # each theme's static/ is served under /static/<theme>/
    *((d.parent.name, d) for d in sorted((BASE_DIR / "themes").glob("*/static"))),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = "portale@welfare.localhost"

# Wagtail
WAGTAIL_SITE_NAME = _("Territorial welfare portals")
WAGTAILADMIN_BASE_URL = "http://localhost:8000"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "xlsx", "ods", "csv", "txt"]
# a new image or document starts in the portal's own collection (portal.territories.admin_forms)
WAGTAILIMAGES_IMAGE_FORM_BASE = "portal.territories.admin_forms.PortalImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "portal.territories.admin_forms.PortalDocumentForm"
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("it", "Italiano"), ("en", "English")]

# Oscar: services are paid in euros, no shipping; the catalogue is scoped per territory.
OSCAR_SHOP_NAME = _("Welfare shop")
OSCAR_DEFAULT_CURRENCY = "EUR"
OSCAR_CURRENCY_FORMAT = {"EUR": {"currency_digits": False, "format_type": "standard"}}
OSCAR_HOMEPAGE = "/"
OSCAR_PRODUCTS_PER_PAGE = 24
OSCAR_ALLOW_ANON_CHECKOUT = True
OSCAR_FROM_EMAIL = DEFAULT_FROM_EMAIL
OSCAR_DASHBOARD_NAVIGATION = [  # noqa: F405  (Oscar's own, minus Pages: flatpages cannot work)
    entry
    for entry in OSCAR_DASHBOARD_NAVIGATION  # noqa: F405
    if not any(
        child.get("url_name") == "dashboard:page-list" for child in entry.get("children", [])
    )
]
for _entry in OSCAR_DASHBOARD_NAVIGATION:
    _entry["children"] = [
        c for c in _entry.get("children", []) if c.get("url_name") != "dashboard:page-list"
    ]
# Order lines move through their cooperative's hands (codes in English, labels translated).
OSCAR_INITIAL_LINE_STATUS = "new"
OSCAR_LINE_STATUS_PIPELINE = {
    "new": ("accepted", "cancelled"),
    "accepted": ("scheduled", "delivered", "cancelled"),
    "scheduled": ("scheduled", "delivered", "cancelled"),
    "delivered": (),
    "cancelled": (),
}  # shop/order/statuses.py names them; a test checks the two agree
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"
THUMBNAIL_DEBUG = False

# Celery: eager by default (no broker needed); production points it at Redis.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = os.environ.get("REDIS_URL", "memory://")
CELERY_BEAT_SCHEDULE = {
    # gift vouchers whose send date has come (also `manage.py send_due_giftcards` for cron)
    "send-due-giftcards": {"task": "shop.giftcards.tasks.send_due_giftcards", "schedule": 3600},
    # card payments left open: holds released, baskets reopened (`manage.py
    # settle_abandoned_payments` for cron)
    "settle-abandoned-payments": {
        "task": "shop.payment.tasks.settle_abandoned_payments",
        "schedule": 900,
    },
}

# Stripe: by default the fake localstripe on loopback (`make demo` starts it, no keys, no
# internet); real keys in the environment switch to Stripe itself (shop/payment/gateway.py).
_REAL_STRIPE = bool(os.environ.get("STRIPE_SECRET_KEY"))
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "sk_test_localstripe")
STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "pk_test_localstripe")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "whsec_localstripe")
STRIPE_API_BASE = os.environ.get(
    "STRIPE_API_BASE", "https://api.stripe.com" if _REAL_STRIPE else "http://127.0.0.1:8420"
)
STRIPE_JS_URL = os.environ.get("STRIPE_JS_URL", "")  # empty: derived from STRIPE_API_BASE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
