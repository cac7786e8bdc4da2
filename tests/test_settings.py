"""Production refuses to start without its variables; a broken spec is a system check error."""

import os
import subprocess
import sys
from pathlib import Path

from django.core.checks import run_checks
from django.test import override_settings

from tests.test_spec_check import VALID

ROOT = Path(__file__).resolve().parent.parent


def start_production(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS", "DEFAULT_FROM_EMAIL")
    }
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**clean, "DJANGO_SETTINGS_MODULE": "portal.settings.production", **env},
    )


def test_production_names_every_missing_variable():
    result = start_production({"SECRET_KEY": "s3cret"})
    assert result.returncode != 0
    assert "DATABASE_URL, REDIS_URL, ALLOWED_HOSTS, DEFAULT_FROM_EMAIL" in result.stderr


def test_production_starts_with_its_variables():
    result = start_production(
        {
            "SECRET_KEY": "s3cret",
            "DATABASE_URL": "postgres://u@127.0.0.1/x",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "ALLOWED_HOSTS": "www.sondriowelfare.it",
            "DEFAULT_FROM_EMAIL": "portale@sondriowelfare.it",
        }
    )
    assert result.returncode == 0, result.stderr


def test_a_broken_spec_in_sites_is_system_check_portal_e001(tmp_path):
    (tmp_path / "lecco.toml").write_text(VALID.replace('"01234567897"', '"01234567890"'))
    with override_settings(PORTAL_SITES_DIR=str(tmp_path)):
        errors = [e for e in run_checks(tags=["portal"]) if e.id == "portal.E001"]
    assert len(errors) == 1
    assert "lecco.toml: cooperatives[0].vat_number" in errors[0].msg
