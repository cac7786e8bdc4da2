"""``manage.py employers check|load [SPEC…]``: the employers of ``employers/*.toml``;
``employers credit EMPLOYER YEAR``: credit every employee of a plan (with a progress bar);
``employers close-year [--today YYYY-MM-DD]``: unspent credit of ended plans back to the
employers (cron; Celery beat runs the same daily). Every action is safe to repeat."""

import argparse
import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from portal.employers import specs
from portal.employers.funding import close_year, credit_all
from portal.employers.models import WelfarePlan
from portal.ledger.transfers import LedgerError


class Command(BaseCommand):
    help = "Employer welfare: load employers from specs, credit a plan, close ended plan years."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in (("check", "Validate the specs."), ("load", "Create what they name.")):
            p = sub.add_parser(name, help=text)
            p.add_argument("specs", nargs="*")
        credit = sub.add_parser("credit", help="Credit every employee of a plan, once each.")
        credit.add_argument("employer", help="The employer's slug.")
        credit.add_argument("year", type=int)
        close = sub.add_parser("close-year", help="Return unspent credit of ended plans.")
        close.add_argument("--today", metavar="YYYY-MM-DD")
        for subparser in sub.choices.values():
            subparser.add_argument(
                "-v", "--verbosity", type=int, choices=[0, 1, 2, 3], default=argparse.SUPPRESS
            )

    def handle(self, *args, action, **options):
        if action in ("check", "load"):
            found, errors = specs.load_all(options["specs"])
            if errors:
                for error in errors:
                    self.stderr.write(str(error))
                raise CommandError(f"{len(errors)} error(s) in the specs; nothing was written.")
            if action == "check":
                self.stdout.write(self.style.SUCCESS(f"{len(found)} employer spec(s) valid"))
                return
            for spec in found:
                employer, made = specs.apply(spec)
                self.stdout.write(f"{employer.slug}: {made} plan(s) created")
            return
        if action == "credit":
            return self.credit(options["employer"], options["year"], options.get("verbosity", 1))
        day = None
        if options.get("today"):
            try:
                day = date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(f"--today: '{options['today']}' is not a date") from exc
        for plan, amount in close_year(day).items():
            self.stdout.write(f"{plan.employer.slug} {plan.year}: {amount} € returned")

    def credit(self, slug: str, year: int, verbosity: int) -> None:
        plan = (
            WelfarePlan.objects.select_related("employer__funding_account")
            .filter(employer__slug=slug, year=year)
            .first()
        )
        if plan is None:
            raise CommandError(f"No plan {year} for employer '{slug}'.")
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            if verbosity:
                width = 30
                filled = width * done // max(total, 1)
                self.stdout.write(
                    f"\r  credit [{'#' * filled}{'.' * (width - filled)}] {done}/{total}",
                    ending="",
                )
                self.stdout.flush()

        try:
            result = credit_all(plan, progress=progress)
        except LedgerError as refusal:
            raise CommandError(f"Nothing was credited: {refusal}") from refusal
        if verbosity:
            self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.credited} employee(s) credited ({result.amount} €), "
                f"{result.already} already ({time.monotonic() - started:.1f} s)"
            )
        )
