"""Benchmarks (bench/): production-like (no DEBUG, cached templates) on the local SQLite file."""

import os

from .base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["*"]

# PORTAL_PAGE_CACHE_SECONDS=0 bench/run.sh measures pages rendered for every request.
PORTAL_PAGE_CACHE_SECONDS = int(os.environ.get("PORTAL_PAGE_CACHE_SECONDS", "60"))

# As production serves the static files (bench/lighthouse.py measures the pages so): hashed
# names that WhiteNoise sends with a far-future Cache-Control, and their gzip copies.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
STATIC_ROOT = os.environ.get("PORTAL_STATIC_ROOT", BASE_DIR / "bench" / "results" / "static")  # noqa: F405
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"  # as production
