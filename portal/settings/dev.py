"""Local development: the embedded defaults of `make demo` (SQLite, console e-mail)."""

from .base import *  # noqa: F403

DEBUG = True
ALLOWED_HOSTS = [".localhost", "localhost", "127.0.0.1", "[::1]"]
INTERNAL_IPS = ["127.0.0.1"]
