"""Steps 8-12: cooperatives, the services they offer here, gift vouchers, network, bookshop."""

from django.conf import settings
from django.contrib.auth import get_user_model
from oscar.core.loading import get_model

from portal.bookshop.territory import sync_bookshop
from portal.events.network import ensure_network
from shop.catalogue.fixture import load_catalogue
from shop.dashboard.catalogue.access import catalogue_managers_group
from shop.dashboard.orders.access import cooperative_staff_group
from shop.giftcards.products import sync_gift_vouchers

from ..spec import SpecError, TerritorySpec, display_path

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
Product = get_model("catalogue", "Product")


class ShopSteps:
    # 8 ----------------------------------------------------------------------------------------
    def step_cooperatives(self) -> None:
        User = get_user_model()
        self.partners: dict[str, Partner] = {}
        self._check_cooperatives_not_taken()
        for coop in self.spec.cooperatives:
            partner = Partner.objects.filter(code=coop.slug).first() or Partner(code=coop.slug)
            wanted = {
                "name": coop.legal_name,
                "legal_name": coop.legal_name,
                "vat_number": coop.vat_number,
                "city": coop.city,
                "uni_pdr_58_expires": coop.uni_pdr_58_expires,
            }
            changed = [f for f, v in wanted.items() if getattr(partner, f) != v]
            for field in changed:
                setattr(partner, field, wanted[field])
            if partner.pk is None:
                partner.save()
                self.seeder.count("cooperative", True, coop.slug)
            elif changed:
                partner.save(update_fields=changed)
                self.seeder.updated["cooperative"] += 1
            partner.territories.add(self.territory)
            for email in coop.editors:
                user = User.objects.filter(email__iexact=email).first()
                if user is None:
                    user = User(username=email[:150], email=email)
                    user.set_unusable_password()
                    user.save()
                    self.seeder.count("editor account", True, email)
                user.groups.add(self.territory.editors, cooperative_staff_group())
                partner.users.add(user)
            self.partners[coop.slug] = partner

    def _check_cooperatives_not_taken(self) -> None:
        """The specs agree with each other (spec/files.py); the database also holds portals
        whose spec is not among them. A cooperative already serving another portal keeps its
        legal name and VAT number: a spec cannot take it over."""
        from .build import BuildError

        errors = []
        existing = {
            p.code: p
            for p in Partner.objects.filter(
                code__in=[c.slug for c in self.spec.cooperatives]
            ).prefetch_related("territories")
        }
        for i, coop in enumerate(self.spec.cooperatives):
            partner = existing.get(coop.slug)
            others = sorted(
                t.slug
                for t in (partner.territories.all() if partner else ())
                if t.slug != self.spec.slug
            )
            if not others:
                continue
            for field in ("legal_name", "vat_number"):
                if getattr(partner, field) != getattr(coop, field):
                    errors.append(
                        SpecError(
                            display_path(self.spec.path),
                            f"cooperatives[{i}].{field}",
                            f"'{getattr(coop, field)}', but cooperative '{coop.slug}' of the "
                            f"portal(s) {', '.join(others)} has '{getattr(partner, field)}'",
                        )
                    )
        if errors:
            raise BuildError(errors)

    # 9 ----------------------------------------------------------------------------------------
    def step_services(self) -> None:
        """The offers of the shared catalogue, whose services the platform's catalogue
        managers look after (the group is made here, with the catalogue)."""
        managers, created = catalogue_managers_group()
        self.seeder.count("group", created, managers.name)
        offers = list(_priced_products(self.spec))
        products = {p.upc: p for p in Product.objects.filter(upc__in=[o[1] for o in offers])}
        existing = {
            (s.partner_id, s.product_id): s
            for s in StockRecord.objects.filter(territory=self.territory).select_related(
                "partner", "product"
            )
        }
        offered = set()
        for offer, upc, price, label in offers:
            partner, product = self.partners[offer.cooperative], products[upc]
            offered.add((partner.pk, product.pk))
            stockrecord = existing.get((partner.pk, product.pk))
            created = stockrecord is None
            if created:
                stockrecord = StockRecord(
                    partner=partner,
                    product=product,
                    territory=self.territory,
                    partner_sku=f"{self.spec.slug}-{upc}",
                    price_currency=settings.OSCAR_DEFAULT_CURRENCY,
                )
            self.seeder.seed_fields(
                self.key("offer", offer.cooperative, upc),
                stockrecord,
                {"price": price},
                created=created,
            )
            self.seeder.count("offer", created, f"{label} by {offer.cooperative} at {price} €")
        for pair, stockrecord in existing.items():
            if pair not in offered and self.seeder.record(
                self.key("offer", stockrecord.partner.code, stockrecord.product.upc)
            ):
                stockrecord.delete()
                self.seeder.updated["offer withdrawn"] += 1
                self.seeder.say(f"    - offer {stockrecord.partner_sku}")

    # 10 ---------------------------------------------------------------------------------------
    def step_gift_vouchers(self) -> None:
        sync_gift_vouchers(self.territory, self.spec.gift_vouchers, self.partners, self.seeder)

    # 11 ---------------------------------------------------------------------------------------
    def step_network(self) -> None:
        """The cooperatives' network group: who may sign up for network-only webinars."""
        network, created = ensure_network(self.territory)
        self.seeder.count("network group", created, network.group.name)

    # 12 ---------------------------------------------------------------------------------------
    def step_bookshop(self) -> None:
        """The cooperative flagged ``bookshop = true`` receives the reading-tip reservations."""
        flagged = [c.slug for c in self.spec.cooperatives if c.bookshop]
        change = sync_bookshop(self.territory, self.partners[flagged[0]] if flagged else None)
        if change == "created":
            self.seeder.count("bookshop", True, flagged[0])
        elif change:
            self.seeder.updated["bookshop"] += 1

    # 13 ---------------------------------------------------------------------------------------
    def step_programmes(self) -> None:
        """The municipality officers' group and the spec's ``[[programmes]]``."""
        from portal.ledger.transfers import LedgerError
        from portal.programmes.generator import ensure_office, sync_programmes

        from .build import BuildError

        office, created = ensure_office(self.territory)
        self.seeder.count("officers group", created, office.group.name)
        try:
            sync_programmes(self.territory, self.spec.programmes, self.partners, self.seeder)
        except LedgerError as exc:
            raise BuildError(
                [SpecError(display_path(self.spec.path), "programmes", f"budget: {exc}")]
            ) from exc

    # 14 ---------------------------------------------------------------------------------------
    def step_welfare(self) -> None:
        """The welfare managers' group, the spec's income bands, reductions, Social Points."""
        from portal.welfare.generator import ensure_welfare_office, sync_welfare

        office, created = ensure_welfare_office(self.territory)
        self.seeder.count("welfare managers group", created, office.group.name)
        sync_welfare(self.territory, self.spec, self.seeder)

    # 15 ---------------------------------------------------------------------------------------
    def step_communications(self) -> None:
        """The cross-territory communications group and the newsletter archive it writes in
        (shared by every portal: made by the first build, found by the others)."""
        from portal.newsletters.access import communications_group

        group, created = communications_group()
        self.seeder.count("group", created, group.name)
        from portal.campaigns.access import grant_templates

        grant_templates()  # and the folder of campaign landing page templates


def _priced_products(spec: TerritorySpec):
    """(offer, product upc, price, label) for each product a spec's offers put on sale.

    A service sold in packages is offered as its packages (child products): the offer's
    ``price`` is the first package's, ``packages`` prices the others it sells here.
    """
    catalogue = load_catalogue()
    for offer in spec.services:
        service = catalogue.services[offer.ref]
        if not service.packages:
            yield offer, offer.ref, offer.price, offer.ref
            continue
        yield offer, service.packages[0].upc(offer.ref), offer.price, offer.ref
        for sessions, price in sorted(offer.packages.items()):
            yield offer, service.package(sessions).upc(offer.ref), price, f"{offer.ref} ×{sessions}"
