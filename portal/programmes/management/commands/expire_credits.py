"""``manage.py expire_credits [--today YYYY-MM-DD]``: give expired wallet credit back to its
programmes and warn owners a week before (for cron; Celery beat runs the same hourly)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from portal.programmes.expiry import expire_credits


class Command(BaseCommand):
    help = (
        "Return the unspent balance of every wallet whose programme's credit has expired to the "
        "programme's budget (once), and e-mail owners of credit that expires within a week."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", metavar="YYYY-MM-DD", help="Run as on this day (default: today)."
        )

    def handle(self, *args, today=None, **options):
        day = None
        if today:
            try:
                day = date.fromisoformat(today)
            except ValueError as exc:
                raise CommandError(f"--today: '{today}' is not a date like 2027-06-30.") from exc
        self.stdout.write(f"Credit expiry: {expire_credits(day)}")
