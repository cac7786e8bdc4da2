"""Production: everything comes from the environment; a missing required variable stops start-up."""

import os
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import _origin

REQUIRED = ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS", "DEFAULT_FROM_EMAIL")
_missing = [name for name in REQUIRED if not os.environ.get(name)]
if _missing:
    raise ImproperlyConfigured(
        "Production settings need these environment variables: " + ", ".join(_missing)
    )

# Card payments (base.py reads the keys). Without them base.py would send payments to a
# localstripe on 127.0.0.1: in production that takes an explicit STRIPE_API_BASE (a staging
# stand-in) with its own webhook secret, never a missing key nor the public localstripe secret.
STRIPE_VARIABLES = ("STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET")
if os.environ.get("STRIPE_SECRET_KEY") or not os.environ.get("STRIPE_API_BASE"):
    _missing_stripe = [name for name in STRIPE_VARIABLES if not os.environ.get(name)]
    if _missing_stripe:
        raise ImproperlyConfigured(
            "Card payments need these environment variables: "
            + ", ".join(_missing_stripe)
            + " (or STRIPE_API_BASE, the address of a Stripe stand-in for staging, with its own"
            " STRIPE_WEBHOOK_SECRET)."
        )
if os.environ.get("STRIPE_WEBHOOK_SECRET", "") in ("", "whsec_localstripe"):
    raise ImproperlyConfigured(
        "STRIPE_WEBHOOK_SECRET must be set to the webhook's own secret: anyone can sign "
        "events with the public localstripe one."
    )

# What a production start refuses outright: a guessable key, any host, a file database.
MIN_SECRET_KEY_LENGTH = 50
MIN_SECRET_KEY_CHARACTERS = 5  # distinct characters, as Django's security.W009 counts them
_secret = os.environ["SECRET_KEY"]
if (
    len(_secret) < MIN_SECRET_KEY_LENGTH
    or len(set(_secret)) < MIN_SECRET_KEY_CHARACTERS
    or _secret.startswith("django-insecure-")
    or _secret == "dev-only-not-secret"
):
    raise ImproperlyConfigured(
        f"SECRET_KEY is weak: it needs at least {MIN_SECRET_KEY_LENGTH} random characters "
        "(python -c 'from django.core.management.utils import get_random_secret_key as k; "
        "print(k())')."
    )
if any(h.strip() in ("*", ".") for h in os.environ["ALLOWED_HOSTS"].split(",")):
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS must name the portals' host names, not '*': every host name is a "
        "portal, and a forged Host header would pick one."
    )
if os.environ["DATABASE_URL"].startswith("sqlite"):
    raise ImproperlyConfigured(
        "DATABASE_URL must point to PostgreSQL in production, not SQLite (one writer at a "
        "time, no row locks for payments)."
    )

DEBUG = False
PORTAL_PRIMARY_HOST = "spec"
SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = [h.strip() for h in os.environ["ALLOWED_HOSTS"].split(",") if h.strip()]
DATABASES = {
    "default": with_postgres_options(  # noqa: F405
        dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=600)
    )
}
REDIS_URL = os.environ["REDIS_URL"]


def _redis_database(url: str, offset: int) -> str:
    """``url`` with its database number moved on by ``offset`` (redis://host:6379/0 → /1)."""
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0) + offset
    return urlunsplit(parts._replace(path=f"/{number}"))


# One Redis database a purpose, each URL overridable on its own (a separate server, say, whose
# maxmemory-policy suits it): fragments and pages in REDIS_URL's database, which may evict
# (allkeys-lru); the throttling counters in the next one and the Celery broker in the one
# after, which must not. Sessions live in the database, read through the cache
# ("cached_db"): an eviction costs one query, never a sign-out or an emptied checkout.
REDIS_THROTTLE_URL = os.environ.get("REDIS_THROTTLE_URL") or _redis_database(REDIS_URL, 1)
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or _redis_database(REDIS_URL, 2)
CACHES = {
    alias: {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": location,
        "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
    }
    for alias, location in (("default", REDIS_URL), ("throttle", REDIS_THROTTLE_URL))
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CELERY_TASK_ALWAYS_EAGER = False
DEFAULT_FROM_EMAIL = os.environ["DEFAULT_FROM_EMAIL"]
OSCAR_FROM_EMAIL = DEFAULT_FROM_EMAIL
# a mail provider through django-anymail (base.py: EMAIL_PROVIDER), or SMTP
EMAIL_BACKEND = (
    f"anymail.backends.{os.environ['EMAIL_PROVIDER']}.EmailBackend"
    if os.environ.get("EMAIL_PROVIDER")
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    # Uploads (images, their renditions, documents) on S3 through django-storages; the
    # credentials come from boto3's own chain (AWS_ACCESS_KEY_ID…, an instance role).
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_STORAGE_BUCKET_NAME = os.environ["AWS_STORAGE_BUCKET_NAME"]
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
    # Another S3-compatible service (MinIO, a provider's object storage, a stand-in such as
    # moto's server in bench/stack.py): its address, e.g. https://s3.example.net
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
    # A CDN or host name in front of the bucket (files then public: no signed addresses)
    AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None
    AWS_QUERYSTRING_AUTH = os.environ.get("AWS_QUERYSTRING_AUTH", "1") == "1"
    # Pages show the images from the bucket's host: the policy must allow that one origin.
    if AWS_S3_CUSTOM_DOMAIN:
        _media_origins = ["https://" + AWS_S3_CUSTOM_DOMAIN.split("/")[0]]
    elif AWS_S3_ENDPOINT_URL:
        _media_origins = [_origin(AWS_S3_ENDPOINT_URL)]
    else:
        _media_origins = [f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com"]
        if AWS_S3_REGION_NAME:
            _media_origins.append(
                f"https://{AWS_STORAGE_BUCKET_NAME}.s3.{AWS_S3_REGION_NAME}.amazonaws.com"
            )
    _directives = CONTENT_SECURITY_POLICY["DIRECTIVES"]  # noqa: F405
    CONTENT_SECURITY_POLICY = {
        **CONTENT_SECURITY_POLICY,  # noqa: F405
        "DIRECTIVES": {
            **_directives,
            "img-src": [*_directives["img-src"], *_media_origins],
        },
    }
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# HTTPS only: every plain-HTTP request is redirected, and browsers remember it for a year.
# The proxy in front must pass X-Forwarded-Proto (above); the health check of a load
# balancer on plain HTTP can be exempted with SECURE_REDIRECT_EXEMPT.
SECURE_SSL_REDIRECT = True
PORTAL_TRUSTED_PROXIES = int(os.environ.get("PORTAL_TRUSTED_PROXIES", "1"))
PORTAL_TWO_FACTOR_REQUIRED = True
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Welfare portals")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# "preload" only allows submitting the domain to the browsers' list, which stays a decision
# per domain; SECURE_HSTS_PRELOAD=0 leaves it out of the header.
SECURE_HSTS_PRELOAD = os.environ.get("SECURE_HSTS_PRELOAD", "1") == "1"
# Oscar's basket cookie (oscar_open_basket) follows the session's: HTTPS only (and SameSite,
# PORTAL_BASKET_COOKIE_SAMESITE, everywhere).
OSCAR_BASKET_COOKIE_SECURE = True
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "https://" + ALLOWED_HOSTS[0])
