"""Celery task: ended plan years' unspent credit back to the employers (daily; idempotent)."""

from celery import shared_task

from .funding import close_year


@shared_task
def close_plan_years() -> str:
    return str({f"{p.employer.slug}:{p.year}": str(a) for p, a in close_year().items()})
