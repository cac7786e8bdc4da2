"""Production refuses to start without its variables; a broken spec is a system check error."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.test import override_settings

from tests.test_spec_check import VALID

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "k7#Qv9!mZp2$Lx8&Wr4^Tn6*Yb1(Hc3)Jd5_Fg0+Se-Ua~Oi=Pl]Ek[Rm"


def start_production(
    env: dict[str, str], code: str = "import django; django.setup()"
) -> subprocess.CompletedProcess:
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
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**clean, "DJANGO_SETTINGS_MODULE": "portal.settings.production", **env},
    )


def test_production_names_every_missing_variable():
    result = start_production({"SECRET_KEY": STRONG_KEY})
    assert result.returncode != 0
    assert "DATABASE_URL, REDIS_URL, ALLOWED_HOSTS, DEFAULT_FROM_EMAIL" in result.stderr


PRODUCTION = {
    "SECRET_KEY": STRONG_KEY,
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
    # a staging stand-in, named on purpose, with its own webhook secret
    staging = start_production({**PRODUCTION, "STRIPE_API_BASE": "http://stripe-mock:8420"})
    assert staging.returncode != 0
    assert "STRIPE_WEBHOOK_SECRET must be set" in staging.stderr
    staging = start_production(
        {
            **PRODUCTION,
            "STRIPE_API_BASE": "http://stripe-mock:8420",
            "STRIPE_WEBHOOK_SECRET": "whsec_staging_own",
        }
    )
    assert staging.returncode == 0, staging.stderr
    public = start_production(
        {**PRODUCTION, **STRIPE, "STRIPE_WEBHOOK_SECRET": "whsec_localstripe"}
    )
    assert "STRIPE_WEBHOOK_SECRET must be set" in public.stderr


def redis_answers() -> bool:
    import redis

    try:
        return redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return False


@pytest.mark.skipif(not redis_answers(), reason="no Redis answers on 127.0.0.1:6379")
def test_production_keeps_counters_broker_and_sessions_apart_from_the_page_cache():
    """Emptying (or evicting) the fragments and pages leaves the wrong-code counters, the
    Celery queue and everyone's session alone: each has its own Redis database, and
    sessions are in the database behind the cache."""
    code = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.core.cache import caches\n"
        "caches['throttle'].set('portal-test-counter', 7)\n"
        "caches['default'].clear()\n"
        "print(caches['throttle'].get('portal-test-counter'))\n"
        "caches['throttle'].delete('portal-test-counter')\n"
        "print(settings.CELERY_BROKER_URL)\n"
        "print(settings.SESSION_ENGINE)\n"
    )
    # databases 13 to 15 of the loopback Redis, out of the way of a running demo
    result = start_production(
        {**PRODUCTION, **STRIPE, "REDIS_URL": "redis://127.0.0.1:6379/13"}, code
    )
    assert result.returncode == 0, result.stderr
    counter, broker, sessions = result.stdout.split()
    assert counter == "7"
    assert broker == "redis://127.0.0.1:6379/15"
    assert sessions == "django.contrib.sessions.backends.cached_db"
    own = start_production(
        {**PRODUCTION, **STRIPE, "CELERY_BROKER_URL": "redis://queue.internal:6379/0"},
        "import django; django.setup(); from django.conf import settings;"
        " print(settings.CELERY_BROKER_URL, settings.CACHES['throttle']['LOCATION'])",
    )
    assert own.stdout.split() == ["redis://queue.internal:6379/0", "redis://127.0.0.1:6379/1"]


def test_production_connects_to_postgresql_without_jit_and_keeps_the_urls_options():
    """JIT compiling costs a web request's queries more than it saves (bench/README.md):
    every connection turns it off, and what the URL asks for (TLS) is kept."""
    result = start_production(
        {**PRODUCTION, **STRIPE, "DATABASE_URL": "postgres://u@db.internal/x?sslmode=require"},
        "import django; django.setup(); from django.conf import settings;"
        " print(settings.DATABASES['default']['OPTIONS'])",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "{'sslmode': 'require', 'options': '-c jit=off'}"


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_test_suites_postgresql_connection_runs_without_jit():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the SQLite suite: PostgreSQL's own suite runs this")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


@pytest.mark.parametrize(
    "variable, value, message",
    [
        ("SECRET_KEY", "s3cret", "SECRET_KEY is weak"),
        ("SECRET_KEY", "a" * 60, "SECRET_KEY is weak"),
        ("SECRET_KEY", "django-insecure-" + STRONG_KEY, "SECRET_KEY is weak"),
        ("ALLOWED_HOSTS", "*", "ALLOWED_HOSTS must name"),
        ("ALLOWED_HOSTS", "www.sondriowelfare.it,*", "ALLOWED_HOSTS must name"),
        ("DATABASE_URL", "sqlite:///db.sqlite3", "must point to PostgreSQL"),
    ],
)
def test_production_refuses_weak_settings(variable, value, message):
    result = start_production({**PRODUCTION, **STRIPE, variable: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_production_passes_the_deploy_checks():
    """`manage.py check --deploy`: HSTS, the HTTPS redirect, secure cookies, the key."""
    # the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for their own process: not production's
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION and k not in STRIPE and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            **PRODUCTION,
            **STRIPE,
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_broken_spec_in_sites_is_system_check_portal_e001(tmp_path):
    (tmp_path / "lecco.toml").write_text(VALID.replace('"01234567897"', '"01234567890"'))
    with override_settings(PORTAL_SITES_DIR=str(tmp_path)):
        errors = [e for e in run_checks(tags=["portal"]) if e.id == "portal.E001"]
    assert len(errors) == 1
    assert "lecco.toml: cooperatives[0].vat_number" in errors[0].msg
