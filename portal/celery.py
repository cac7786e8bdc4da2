"""The Celery application. Tasks run eagerly by default (no broker); production sets REDIS_URL."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
# Django's system checks are run by the deploy (`manage.py check --deploy`) and the web
# processes; a worker running them again as it starts keeps about 24 MB more for its whole
# life (a newsletter send's worker: 201 MB instead of 177 before its first e-mail).
os.environ.setdefault("CELERY_SKIP_CHECKS", "1")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
