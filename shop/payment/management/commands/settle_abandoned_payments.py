"""``manage.py settle_abandoned_payments``: end card attempts left open.

Celery beat runs the same every 15 minutes; this is for a cron job where no beat runs.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from portal.defaults import setting
from shop.payment.fulfilment import settle_abandoned


class Command(BaseCommand):
    help = _("End card payments left open (3-D Secure never answered, the page closed).")

    def add_arguments(self, parser):
        parser.add_argument(
            "--minutes",
            type=int,
            default=None,
            help=_("Open for longer than this (default: PORTAL_ABANDONED_PAYMENT_MINUTES)."),
        )

    def handle(self, *args, minutes: int | None = None, **options):
        minutes = setting("PORTAL_ABANDONED_PAYMENT_MINUTES") if minutes is None else minutes
        if minutes < 0:
            self.stderr.write(_("--minutes cannot be negative."))
            raise SystemExit(2)
        placed, ended = settle_abandoned(timedelta(minutes=minutes))
        self.stdout.write(
            _("Card payments left open: %(ended)s ended, %(placed)s paid after all (order placed).")
            % {"ended": ended, "placed": placed}
        )
