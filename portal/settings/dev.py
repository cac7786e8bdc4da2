"""Local development: the embedded defaults of `make demo` (SQLite, console e-mail).

The demo shows what visitors see: the themes' own 404 and 500 pages, not Django's debug page
(which lists every URL pattern). A developer turns debugging on with ``PORTAL_DEBUG=1``
(``make demo PORTAL_DEBUG=1``, or in the environment of ``runserver``).
"""

import os

from .base import *  # noqa: F403

DEBUG = os.environ.get("PORTAL_DEBUG", "").lower() in {"1", "true", "yes", "on"}
ALLOWED_HOSTS = [".localhost", "localhost", "127.0.0.1", "[::1]"]
INTERNAL_IPS = ["127.0.0.1"]

# Without DEBUG, runserver serves neither the static files nor the uploads: WhiteNoise serves
# the static files straight from the apps and themes, and portal/urls.py the uploads.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
PORTAL_SERVE_MEDIA = True
