"""Settings shared by every environment. dev.py, test.py and production.py build on these."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _
from oscar.defaults import *  # noqa: F403  (Oscar's OSCAR_* defaults, overridden below)

from portal.security.navigation import signed_in
from shop.dashboard.counter.navigation import cooperative_staff

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
    "portal.programmes",
    "portal.welfare",
    "portal.newsletters",
    "portal.campaigns",
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
    "shop.communication.apps.CommunicationConfig",
    "shop.partner.apps.PartnerConfig",
    "shop.basket.apps.BasketConfig",
    "shop.payment.apps.PaymentConfig",
    "shop.offer.apps.OfferConfig",
    "shop.order.apps.OrderConfig",
    "shop.customer.apps.CustomerConfig",
    "shop.search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "shop.wishlists.apps.WishlistsConfig",
    "shop.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "shop.dashboard.orders.apps.OrdersDashboardConfig",
    "shop.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "shop.dashboard.counter.apps.CounterDashboardConfig",
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
    "wagtail.contrib.frontend_cache",
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
    # sign-in hardening: throttling (axes), two-factor codes for staff (django-otp, TOTP),
    # the CSP and Permissions-Policy headers
    "portal.security",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # single-use recovery codes for a lost phone
    "csp",
    "anymail",  # e-mail through a provider where one is configured; its bounce webhooks
    "portal.employers",  # last: its permissions and content types come after the others'
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "portal.security.csp.PortalCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.territories.middleware.TerritoryMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.security.two_factor.TwoFactorMiddleware",
    "portal.territories.admin_scope.AdminScopeMiddleware",
    # a visitor who clicks on from a campaign's landing page: the campaign in the session
    "portal.campaigns.attribution.LandingArrivalMiddleware",
    "portal.territories.page_cache.PageCacheMiddleware",
    # which page a path is, remembered per portal, language and generation (routing.py)
    "portal.content.routing.RememberedRoutesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # a welfare manager acting for a citizen: the citizen is request.user (welfare/assisted.py)
    "portal.welfare.middleware.AssistedModeMiddleware",
    "shop.basket.middleware.BasketMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # last: turns a login refused for too many failures into the lockout page
    "axes.middleware.AxesMiddleware",
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
                "shop.communication.notifications.context_processors.notifications",
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


# PostgreSQL's JIT compiles any query the planner costs high, which on a web request's
# short queries costs more than it saves: one dashboard count took 430 ms, 400 of them
# compiling (bench/README.md, the dashboard order list at scale)
def with_postgres_options(database: dict) -> dict:
    """``database`` with JIT off when it is PostgreSQL; the URL's own options are kept."""
    if database["ENGINE"] == "django.db.backends.postgresql":
        database["OPTIONS"] = {**database.get("OPTIONS", {}), "options": "-c jit=off"}
    return database


with_postgres_options(DATABASES["default"])
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # first: refuses every sign-in of a locked-out account or address (AXES_* below)
    "axes.backends.AxesStandaloneBackend",
    # Oscar's e-mail sign-in, hashing on a miss too (no timing difference for unknown e-mails)
    "portal.security.backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Every sign-in redirect (login_required, Oscar's account and dashboard) lands on the portal's
# own login page; a URL name, so it is reversed in the request's language (/en/shop/…).
LOGIN_URL = "customer:login"
LOGIN_REDIRECT_URL = "/"

# Login throttling (django-axes), on every sign-in form (admin, shop, checkout, dashboard):
# after AXES_FAILURE_LIMIT wrong passwords for one account, or from one address, that account
# or address is refused for AXES_COOLOFF_TIME hours, on the translated page of
# portal/security/lockout.py. Unlock sooner: `manage.py axes_reset_username <e-mail>` or
# `manage.py axes_reset_ip <address>`; a password reset also unlocks the account.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.security.lockout.lockout_response"
AXES_USERNAME_CALLABLE = "portal.security.lockout.username_of"
AXES_CLIENT_IP_CALLABLE = "portal.security.addresses.client_ip"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False

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
# the project's catalogues first, then Oscar's texts in its British English, written by
# `make messages` (portal/territories/oscar_english.py): Python reads "en" as en_US first,
# and Oscar's American catalogue said "cart" beside the portal's "basket"
LOCALE_PATHS = [BASE_DIR / "portal" / "locale", BASE_DIR / "build" / "locale"]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
STATICFILES_DIRS = [
    ("bootstrap-italia", BASE_DIR / "node_modules" / "bootstrap-italia" / "dist"),
    # each theme's Bootstrap Italia subset, built by `make assets` (themes/build_assets.mjs)
    ("bundle", BASE_DIR / "static_built"),
    # each theme's static/ is served under /static/<theme>/
    *((d.parent.name, d) for d in sorted((BASE_DIR / "themes").glob("*/static"))),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Two purposes, two aliases (production puts them on separate Redis databases): "default"
# holds what can be rebuilt at any time (fragments, whole pages, generations), "throttle" the
# counters of wrong gift-voucher codes, which an eviction of fragments must never reset.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "throttle",
    },
}
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# A mail provider (django-anymail), e.g. EMAIL_PROVIDER=postmark with ANYMAIL_POSTMARK_SERVER_TOKEN:
# its backend sends, and its tracking webhook (/anymail/<provider>/tracking/, basic auth with
# ANYMAIL_WEBHOOK_SECRET "user:password") reports bounces and complaints, which unsubscribe
# the address from every newsletter (portal/newsletters/receivers.py).
if os.environ.get("EMAIL_PROVIDER"):
    EMAIL_BACKEND = f"anymail.backends.{os.environ['EMAIL_PROVIDER']}.EmailBackend"
ANYMAIL = {
    "WEBHOOK_SECRET": os.environ.get("ANYMAIL_WEBHOOK_SECRET", "anymail:dev-only-not-secret"),
    **{k[len("ANYMAIL_") :]: v for k, v in os.environ.items() if k.startswith("ANYMAIL_")},
}
DEFAULT_FROM_EMAIL = "portale@welfare.localhost"

# Wagtail
WAGTAIL_SITE_NAME = _("Territorial welfare portals")
# Only for what belongs to no portal: the moderation e-mails link to the page's own portal
# (portal/content/templatetags/moderation_mail.py), in a text and an HTML part.
WAGTAILADMIN_BASE_URL = "http://localhost:8000"
WAGTAILADMIN_NOTIFICATION_USE_HTML = True
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
OSCAR_DASHBOARD_NAVIGATION.append(
    {
        "label": _("Two-factor sign-in"),
        "icon": "fas fa-key",
        "url_name": "security:two-factor",
        "access_fn": signed_in,
    }
)
OSCAR_DASHBOARD_NAVIGATION.insert(
    1,  # after the dashboard's home: what cooperative staff do at the counter every day
    {
        "label": _("Redeem a voucher"),
        "icon": "fas fa-ticket-alt",
        "url_name": "dashboard:counter-redeem",
        "access_fn": cooperative_staff,
    },
)
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

# A CDN or caching proxy in front of the portals (portal/territories/frontend_cache.py):
# publishing sends it PURGE requests for the changed pages. Unset: no purges.
if os.environ.get("PORTAL_FRONTEND_CACHE_URL"):
    WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": os.environ["PORTAL_FRONTEND_CACHE_URL"],
        }
    }

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
    # newsletter sends whose worker died (each worker also resumes them as it starts)
    "resume-newsletter-sends": {
        "task": "portal.newsletters.tasks.resume_sends",
        "schedule": 600,
    },
    # Wagtail's scheduled publishing: campaign landing pages live at their start, unpublished
    # at their end (also `manage.py publish_scheduled` for cron)
    "publish-scheduled-pages": {
        "task": "portal.campaigns.tasks.publish_scheduled",
        "schedule": 60,
    },
    # programme credit past its expiry back to the budgets, notices a week before
    # (`manage.py expire_credits` for cron; idempotent, so hourly costs one query when idle)
    "expire-programme-credits": {
        "task": "portal.programmes.tasks.expire_credits",
        "schedule": 3600,
    },
    # employer welfare: unspent credit of ended plan years back to the employers
    # (`manage.py employers close-year` for cron; idempotent)
    "close-employer-plan-years": {
        "task": "portal.employers.tasks.close_plan_years",
        "schedule": 3600,
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


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


# Content-Security-Policy (django-csp) of the public pages: our own files, no inline script,
# and Stripe (or
# localstripe, in development and tests) for Stripe.js, its card frame and 3-D Secure. The
# Wagtail admin and the Oscar dashboard get a policy of their own (portal/security/csp.py),
# which allows the inline code those two ship.
_STRIPE_ORIGINS = sorted(
    {_origin(STRIPE_API_BASE), _origin(STRIPE_JS_URL or STRIPE_API_BASE)}
    | (
        {"https://js.stripe.com", "https://hooks.stripe.com", "https://api.stripe.com"}
        if STRIPE_API_BASE.rstrip("/") == "https://api.stripe.com"
        else set()
    )
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        # no inline script at all: the themes' scripts are files, so that cached fragments
        # and cached pages carry no per-request nonce
        "script-src": [SELF, *_STRIPE_ORIGINS],
        # no inline style either: the portal's palette is a stylesheet (/theme/palette-….css),
        # and no public template has a style="" attribute (scripts set styles through the
        # CSSOM, which the policy allows)
        "style-src": [SELF],
        "img-src": [SELF, "data:", *_STRIPE_ORIGINS],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF, *_STRIPE_ORIGINS],
        "frame-src": [SELF, *_STRIPE_ORIGINS],
        "form-action": [SELF, *_STRIPE_ORIGINS],
        "frame-ancestors": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
# Browser features no page of ours uses (payment stays allowed for Stripe's frame).
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "usb": [],
    "payment": ["self", *_STRIPE_ORIGINS],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
