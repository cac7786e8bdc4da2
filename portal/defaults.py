"""Project defaults: every ``PORTAL_*`` setting with its default, in one place.

Read them through :func:`portal.defaults.setting` so an override in the settings module wins.
"""

from typing import Any

from django.conf import settings

PORTAL_SITES_DIR = "sites"  # relative to BASE_DIR: where the territory specs live
PORTAL_THEMES_DIR = "themes"  # relative to BASE_DIR: one folder per theme
PORTAL_CATALOGUE_FIXTURE = "fixtures/catalogue.toml"  # the shared catalogue of services
PORTAL_DEV_HOST_SUFFIX = ".localhost"  # every territory also answers on <slug><suffix>
PORTAL_DEV_PORT = 8000  # printed in the URLs of the build summary
# Which host name a portal's Wagtail Site (absolute URLs, e-mails, sitemaps) carries:
# "dev" = <slug>.localhost, "spec" = the first of the spec's hosts (production).
PORTAL_PRIMARY_HOST = "dev"
# Serve the uploads (MEDIA_ROOT) from Django itself: the demo and development only
# (portal/settings/dev.py); production serves them from its storage.
PORTAL_SERVE_MEDIA = False
PORTAL_HUB_HOSTS = ("localhost", "127.0.0.1")  # hosts that list the portals and serve the admin
PORTAL_DEFAULT_THEME = "italia"
PORTAL_LANGUAGES = ("it", "en", "de", "fr", "sl")  # languages a spec may ask for
PORTAL_CURRENCY = "EUR"
PORTAL_PRODUCTS_PER_PAGE = 24
# How long a fragment ({% portalcache %}: header, footer, a page's content…) or a remembered
# value lives at most (portal/territories/generations.py); publishing a page or saving the
# portal's settings refreshes them at once. 0: rendered every time.
PORTAL_FRAGMENT_CACHE_SECONDS = 600
# How long a process trusts what it knows of host → territory without asking the database.
PORTAL_TERRITORY_CACHE_SECONDS = 60
# Whole Wagtail pages for visitors without cookies (portal/territories/page_cache.py); 0: off.
PORTAL_PAGE_CACHE_SECONDS = 60
PORTAL_NEWS_PER_PAGE = 10  # articles per page of a news index
PORTAL_FEED_ITEMS = 20  # articles in a portal's RSS and Atom feeds
PORTAL_SEARCH_RESULTS = 20  # pages, and services, shown by a portal's search

# Gift vouchers (shop/giftcards): the amounts offered, the limits of a custom amount (euros),
# how long a voucher lasts, and how many code tries a client may make (balance page, basket).
PORTAL_GIFTCARD_AMOUNTS = ("25.00", "50.00", "100.00")
PORTAL_GIFTCARD_MIN = "10.00"
PORTAL_GIFTCARD_MAX = "500.00"
PORTAL_GIFTCARD_VALIDITY_DAYS = 365
PORTAL_GIFTCARD_TRIES = 10  # failed code look-ups per client address…
PORTAL_GIFTCARD_TRIES_WINDOW = 600  # …per this many seconds

# The SameSite of Oscar's basket cookie (oscar_open_basket): not sent with other sites'
# requests; production.py also makes it Secure (OSCAR_BASKET_COOKIE_SECURE).
PORTAL_BASKET_COOKIE_SAMESITE = "Lax"

# Security (portal/security): how many reverse proxies of ours stand in front of the portal
# (each appends to X-Forwarded-For; 0: the client is REMOTE_ADDR), the paths of the staff
# pages (their own CSP; two-factor codes asked there), and two-factor sign-in: required of
# superusers and of the platform's catalogue managers (the group of this name) when on.
PORTAL_TRUSTED_PROXIES = 0
PORTAL_STAFF_PATHS = ("/admin/", "/shop/dashboard/")
PORTAL_TWO_FACTOR_REQUIRED = False
PORTAL_RECOVERY_CODES = 10  # single-use codes shown when an authenticator app is added
PORTAL_CATALOGUE_MANAGERS_GROUP = "Gestori del catalogo"  # made by the generator (a name is data)

# The checkout's steps after the index (sign in or guest e-mail), as URL names, in order.
# Services are not shipped: Oscar's shipping steps are skipped. A step is added in front of
# the payment (e.g. "checkout:booking-details"); the payment page stays last.
PORTAL_CHECKOUT_STEPS = ("checkout:booking-details", "checkout:payment-details")
# A card payment still open after this many minutes (3-D Secure never answered, the tab
# closed) is settled by the sweep every 15 minutes: canceled at Stripe, voucher holds given
# back, basket reopened (shop/payment/fulfilment.py, settle_abandoned).
PORTAL_ABANDONED_PAYMENT_MINUTES = 60

# Sign-up (shop/customer/signup.py): how long the confirmation link e-mailed to a new
# address stays valid; the account is created only when it is followed.
PORTAL_SIGNUP_LINK_HOURS = 48

# Changing the e-mail in the profile (shop/customer/email_change.py): how long the link
# e-mailed to the new address stays valid; the address changes only when it is followed.
PORTAL_EMAIL_CHANGE_LINK_HOURS = 24

# Webinars (portal/events): the zone their times are entered and shown in.
PORTAL_EVENTS_TIME_ZONE = "Europe/Rome"

# Welfare programmes (portal/programmes): where applications' attachments are stored, outside
# MEDIA_ROOT so no public media URL ever reaches them (relative to BASE_DIR unless absolute),
# and how large and of which types they may be.
PORTAL_PRIVATE_MEDIA_ROOT = "private-media"
PORTAL_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
PORTAL_ATTACHMENT_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}
# Newsletters (portal/newsletters): how long a subscription's confirmation link stays valid;
# the version of the consent text the form shows (recorded with each consent: change it when
# the text changes); how many e-mails one task sends before handing over to the next, and at
# most how many a second one worker sends (0: as fast as the mail server takes them); how
# long a batch's claim on its rows lasts after its last renewal (seconds; renewed every quarter).
PORTAL_NEWSLETTER_LINK_HOURS = 48
PORTAL_NEWSLETTER_CONSENT_VERSION = "2026-12"
PORTAL_NEWSLETTER_BATCH = 500
PORTAL_NEWSLETTER_RATE = 20
PORTAL_NEWSLETTER_LEASE = 120
PORTAL_NEWSLETTER_SAMPLE = 10  # recipients shown to the sender before a send
# The cross-territory communications group made by the generator (a name is data).
PORTAL_COMMUNICATIONS_GROUP = "Comunicazione"
# Programme credit (portal/programmes/expiry.py): owners of a wallet with money left are
# e-mailed this many days before its expiry date, once.
PORTAL_CREDIT_EXPIRY_NOTICE_DAYS = 7
# Assisted mode (portal/welfare/assisted.py): the dotted path of an SMS sender for payment
# links; empty (the default): no SMS provider, the option is not shown, e-mail only.
PORTAL_SMS_BACKEND = ""


def setting(name: str) -> Any:
    """Return the ``PORTAL_*`` setting ``name``: the project's value, or the default here."""
    return getattr(settings, name, globals()[name])
