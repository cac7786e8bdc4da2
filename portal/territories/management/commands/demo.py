"""``python manage.py demo``: demo content and demo users; prints the logins. Re-runnable."""

from django.core.management.base import BaseCommand

from portal.territories.demo import create_users, load_content
from portal.territories.models import Territory
from portal.territories.themes import palette_for


class Command(BaseCommand):
    help = "Load the demo content into every built portal and create the demo users."

    def handle(self, *args, **options):
        territories = list(Territory.objects.select_related("site__root_page", "collection"))
        if not territories:
            self.stderr.write("No portal is built yet: run `python manage.py portal build` first.")
            return
        for number, territory in enumerate(territories, start=1):
            changed = load_content(territory, palette_for(territory))
            self.stdout.write(
                f"[{number}/{len(territories)}] {territory.slug}: {changed} page(s) filled"
            )
        logins = create_users()
        from portal.programmes.demo import load_applications
        from portal.territories.demo import ensure_user

        made = load_applications(ensure_user)
        self.stdout.write(f"programmes: {made} demo application(s) in every status")
        from portal.campaigns.demo import load_campaign

        campaign = load_campaign()
        if campaign is not None:
            portals = ", ".join(t.slug for t in campaign.territories.order_by("slug"))
            self.stdout.write(f"campaigns: “{campaign.name}” on {portals}")
        from portal.programmes.demo_spending import load_spends

        spending = load_spends(ensure_user)
        self.stdout.write(f"programmes: {spending} demo household(s) approved and spending")
        from portal.programmes.paper_demo import load_paper_letter

        if letter := load_paper_letter():
            programme, code = letter
            self.stdout.write(
                f"paper letter ({programme.territory.slug}, {programme.title}): code {code}"
                f" — redeem it at http://{programme.territory.slug}.localhost:8000"
                "/shop/dashboard/counter/ as ordini.jonathan@welfare.localhost"
            )
        from portal.employers.demo import DEMO_EMPLOYEE, load_employers
        from portal.territories.demo import DEMO_PASSWORD, DemoLogin

        for employer, email in load_employers(ensure_user):
            slug = employer.territory.slug if employer.territory else "*"
            logins.append(
                DemoLogin(f"HR {employer.name} (welfare aziendale)", slug, email, DEMO_PASSWORD)
            )
        logins.append(
            DemoLogin("dipendente (welfare aziendale)", "*", DEMO_EMPLOYEE, DEMO_PASSWORD)
        )
        self.stdout.write(
            "assisted mode: as welfare.cremona@welfare.localhost, admin → Welfare → "
            "cittadino@example.it → “Act on the citizen's behalf” (consent already recorded)"
        )
        self.stdout.write(
            self.style.SUCCESS("\nDemo logins (admin: http://<portal>.localhost:8000/admin/):")
        )
        for login in logins:
            self.stdout.write(
                f"  {login.role:<34} {login.portal:<9} {login.email:<40} {login.password}"
            )
        from shop.customer.demo import EMPLOYEE, load_family_members

        if family := load_family_members(ensure_user):
            self.stdout.write(f"family members: {family} saved by {EMPLOYEE} (mother in Sondrio)")
        from shop.order.demo import load_orders

        if orders := load_orders(ensure_user):
            portals = len({order.territory_id for order in orders})
            self.stdout.write(
                f"orders: {len(orders)} on {portals} portal(s) — as cittadino@example.it at "
                "/shop/accounts/orders/, as ordini.<cooperative>@welfare.localhost at "
                "/shop/dashboard/orders/"
            )
