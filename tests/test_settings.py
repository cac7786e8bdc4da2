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
        not in (
            "SECRET_KEY",
            "DATABASE_URL",
            "REDIS_URL",
            "ALLOWED_HOSTS",
            "DEFAULT_FROM_EMAIL",
            "STRIPE_SECRET_KEY",
            "STRIPE_PUBLISHABLE_KEY",
            "STRIPE_WEBHOOK_SECRET",
            "STRIPE_API_BASE",
        )
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


PRODUCTION = {
    "SECRET_KEY": "s3cret",
    "DATABASE_URL": "postgres://u@127.0.0.1/x",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "ALLOWED_HOSTS": "www.sondriowelfare.it",
    "DEFAULT_FROM_EMAIL": "portale@sondriowelfare.it",
}
STRIPE = {
    "STRIPE_SECRET_KEY": "sk_live_x",
    "STRIPE_PUBLISHABLE_KEY": "pk_live_x",
    "STRIPE_WEBHOOK_SECRET": "whsec_x",
}


def test_production_starts_with_its_variables():
    result = start_production({**PRODUCTION, **STRIPE})
    assert result.returncode == 0, result.stderr


def test_production_refuses_to_send_card_payments_to_a_local_stand_in_by_default():
    """Without Stripe's keys, base.py's default is localstripe on 127.0.0.1."""
    result = start_production(PRODUCTION)
    assert result.returncode != 0
    assert (
        "Card payments need these environment variables: STRIPE_SECRET_KEY, "
        "STRIPE_PUBLISHABLE_KEY, STRIPE_WEBHOOK_SECRET" in result.stderr
    )
    only_secret = start_production({**PRODUCTION, "STRIPE_SECRET_KEY": "sk_live_x"})
    assert "STRIPE_PUBLISHABLE_KEY, STRIPE_WEBHOOK_SECRET" in only_secret.stderr
    # a staging stand-in, named on purpose
    staging = start_production({**PRODUCTION, "STRIPE_API_BASE": "http://stripe-mock:8420"})
    assert staging.returncode == 0, staging.stderr


def test_a_broken_spec_in_sites_is_system_check_portal_e001(tmp_path):
    (tmp_path / "lecco.toml").write_text(VALID.replace('"01234567897"', '"01234567890"'))
    with override_settings(PORTAL_SITES_DIR=str(tmp_path)):
        errors = [e for e in run_checks(tags=["portal"]) if e.id == "portal.E001"]
    assert len(errors) == 1
    assert "lecco.toml: cooperatives[0].vat_number" in errors[0].msg
