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
PORTAL_HUB_HOSTS = ("localhost", "127.0.0.1")  # hosts that list the portals and serve the admin
PORTAL_DEFAULT_THEME = "italia"
PORTAL_LANGUAGES = ("it", "en", "de", "fr", "sl")  # languages a spec may ask for
PORTAL_CURRENCY = "EUR"
PORTAL_PRODUCTS_PER_PAGE = 24


def setting(name: str) -> Any:
    """Return the ``PORTAL_*`` setting ``name``: the project's value, or the default here."""
    return getattr(settings, name, globals()[name])
