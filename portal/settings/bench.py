"""Benchmarks (bench/): production-like (no DEBUG, cached templates) on the local SQLite file."""

from .base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["*"]
