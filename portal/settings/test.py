"""Tests: tiny on purpose. Fast hashing, local memory, no network."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["*"]  # production host names of the specs are tested too
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILADMIN_BASE_URL = "http://testserver"

# A file, not memory, so that pytest --reuse-db keeps the migrated database between runs.
# PORTAL_TEST_DB names another file, for two test runs side by side.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    _test_db = os.environ.get("PORTAL_TEST_DB", "test_db.sqlite3")
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / _test_db)}  # noqa: F405

# Uploaded files of the tests go to a scratch folder, not the project's media/: one per test
# database, so that the SQLite and PostgreSQL suites side by side (.ci/run) keep theirs apart.
_db = DATABASES["default"]  # noqa: F405
_db_name = Path(str(_db.get("TEST", {}).get("NAME") or _db["NAME"])).name
MEDIA_ROOT = Path(tempfile.gettempdir()) / f"portal-test-media-{_db_name}"
PORTAL_PRIVATE_MEDIA_ROOT = Path(tempfile.gettempdir()) / f"portal-test-private-media-{_db_name}"
WHITENOISE_USE_FINDERS = True

# Whole-page caching is tested on its own (tests/test_page_cache.py): elsewhere every request
# renders, so that query counts and page contents are those of the page itself.
PORTAL_PAGE_CACHE_SECONDS = 0

# Login throttling (django-axes) counts every failed sign-in in the database and needs the
# request in authenticate(): off here, on in tests/test_hardening.py, which tests it.
AXES_ENABLED = False

# A real Celery worker (tests/test_newsletter_worker.py, bench/newsletter_send.py) runs with
# these settings, a broker and a folder (or a backend) for the e-mails it sends: tasks are
# queued, not run in place.
if os.environ.get("PORTAL_CELERY_BROKER"):
    CELERY_TASK_ALWAYS_EAGER = False
    CELERY_BROKER_URL = os.environ["PORTAL_CELERY_BROKER"]
if os.environ.get("PORTAL_EMAIL_DIR"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["PORTAL_EMAIL_DIR"]
if os.environ.get("PORTAL_EMAIL_BACKEND"):  # bench/newsletter_send.py's counting backend
    EMAIL_BACKEND = os.environ["PORTAL_EMAIL_BACKEND"]
PORTAL_NEWSLETTER_RATE = float(os.environ.get("PORTAL_NEWSLETTER_RATE", "20"))
PORTAL_NEWSLETTER_BATCH = int(os.environ.get("PORTAL_NEWSLETTER_BATCH", "500"))
PORTAL_NEWSLETTER_LEASE = float(os.environ.get("PORTAL_NEWSLETTER_LEASE", "120"))
