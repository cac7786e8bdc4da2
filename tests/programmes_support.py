"""Programmes and applicants for the programme tests, made through the domain functions."""

import threading
from datetime import timedelta
from decimal import Decimal
from itertools import count

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from portal.programmes.applications import start
from portal.programmes.budget import create_programme
from portal.territories.models import Territory

AMOUNTS = {"1": "150.00", "2": "250.00", "3": "350.00", "4": "400.00"}
_numbers = count(1)


def open_programme(territory: Territory, budget: str = "1000.00", **fields):
    today = timezone.localdate()
    values = {
        "slug": f"buoni-{next(_numbers)}",
        "title": "Buoni spesa",
        "kind": "vouchers",
        "budget": Decimal(budget),
        "opens_on": today - timedelta(days=1),
        "closes_on": today + timedelta(days=30),
        "amounts": AMOUNTS,
        "municipalities": territory.municipalities or [territory.name],
        **fields,
    }
    return create_programme(territory, **values)


def citizen(name: str | None = None):
    name = name or f"citizen{next(_numbers)}"
    return get_user_model().objects.create_user(
        username=name, email=f"{name}@example.it", password="pw"
    )


def tax_code(n: int) -> str:
    """A well-formed tax code, different for every ``n`` below 1000."""
    return f"RSSMRA{80 + n % 20:02d}A01H{n % 1000:03d}Z"


def draft(programme, user=None, n: int | None = None, size: int = 2):
    user = user or citizen()
    application = start(programme, user, tax_code(n if n is not None else next(_numbers)))
    application.household_size = size
    application.municipality = programme.municipalities[0]
    application.save(update_fields=["household_size", "municipality"])
    return application


def in_own_connection(work):
    """``work()`` committed in a connection of its own thread (other threads then see it)."""
    result = {}

    def run():
        try:
            with transaction.atomic():
                result["value"] = work()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result["value"]


def at_once(count: int, work) -> list:
    """``work(i, ready)`` for each ``i`` below ``count``, each in a thread with its own
    connection; ``ready()`` waits until every thread is there (then they race). What each
    returned, or the exception it raised."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i):
        try:
            results[i] = work(i, barrier.wait)
        except Exception as exc:  # noqa: BLE001 — the caller counts them
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
