"""``manage.py send_due_giftcards``: e-mail the vouchers whose day has come (for cron)."""

from django.core.management.base import BaseCommand

from shop.giftcards.delivery import send_due


class Command(BaseCommand):
    help = "E-mail every gift voucher whose send date has come and that was not sent yet."

    def handle(self, *args, **options):
        sent = send_due()
        self.stdout.write(f"{sent} gift voucher(s) sent.")
