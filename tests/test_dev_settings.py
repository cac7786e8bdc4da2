"""The demo (portal.settings.dev) shows visitors' pages: debugging is a developer's choice."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHOW = (
    "import django; django.setup(); from django.conf import settings; from django.urls import "
    "resolve; print(settings.DEBUG, resolve('/media/images/x.png').func.__module__)"
)


def dev_settings(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in ("PORTAL_DEBUG", "DJANGO_DEBUG")}
    completed = subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**clean, "DJANGO_SETTINGS_MODULE": "portal.settings.dev", **env},
        check=True,
    )
    return completed.stdout.strip()


def test_the_demo_runs_without_debug_and_still_serves_uploads():
    # through the view that keeps each portal's uploads on its own host
    assert dev_settings() == "False portal.territories.media"


def test_a_developer_turns_debugging_on_with_portal_debug():
    assert dev_settings(PORTAL_DEBUG="1") == "True portal.territories.media"
    assert dev_settings(PORTAL_DEBUG="0") == "False portal.territories.media"
