"""Benchmarks (bench/): production-like (no DEBUG, cached templates) on the local SQLite file."""

import os

from .base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["*"]

# PORTAL_PAGE_CACHE_SECONDS=0 bench/run.sh measures pages rendered for every request.
PORTAL_PAGE_CACHE_SECONDS = int(os.environ.get("PORTAL_PAGE_CACHE_SECONDS", "60"))
