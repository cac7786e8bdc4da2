"""The generator: a validated spec becomes a live portal, in numbered re-runnable steps.

Each territory is built in one transaction; a build of a spec that is already built changes
nothing, and whatever editors changed stays as they left it (:mod:`.seeding`).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.sites.models import Site as DjangoSite
from django.db import transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from oscar.core.loading import get_model
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    GroupSitePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from portal.bookshop.territory import sync_bookshop
from portal.content.models import (
    HomePage,
    NewsIndexPage,
    ReadingTipIndexPage,
    ServiceIndexPage,
    StandardPage,
    WebinarIndexPage,
)
from portal.defaults import setting
from portal.events.network import ensure_network
from shop.catalogue.fixture import load_catalogue, sync_catalogue
from shop.dashboard.orders.access import cooperative_staff_group, dashboard_access
from shop.giftcards.products import sync_gift_vouchers

from .groups import own_group
from .models import PortalSettings, Territory, TerritoryHost
from .seeding import Seeder
from .spec import SpecError, TerritorySpec, display_path

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
Product = get_model("catalogue", "Product")

# The sections every portal starts with: (key, page type, title, introduction).
SECTIONS = [
    (
        "services",
        ServiceIndexPage,
        gettext_noop("Services"),
        gettext_noop("Personal services offered by the cooperatives of this territory."),
    ),
    (
        "news",
        NewsIndexPage,
        gettext_noop("News"),
        gettext_noop("News from the portal and its cooperatives."),
    ),
    (
        "webinars",
        WebinarIndexPage,
        gettext_noop("Webinars"),
        gettext_noop("Online meetings and events: sign up and take part."),
    ),
    (
        "reading-tips",
        ReadingTipIndexPage,
        gettext_noop("Reading tips"),
        gettext_noop("Books recommended by the local bookshop."),
    ),
    (
        "about",
        StandardPage,
        gettext_noop("About us"),
        gettext_noop("Who runs this portal and why."),
    ),
    (
        "contacts",
        StandardPage,
        gettext_noop("Contacts"),
        gettext_noop("How to reach us: by e-mail, by phone or in person."),
    ),
    (
        "privacy",
        StandardPage,
        gettext_noop("Privacy policy"),
        gettext_noop("How this portal processes personal data."),
    ),
    (
        "accessibility",
        StandardPage,
        gettext_noop("Accessibility statement"),
        gettext_noop("The accessibility statement of this portal."),
    ),
]
FOOTER_SECTIONS = ("privacy", "accessibility")  # linked from the footer, not the main menu
STEPS = (
    "locales",
    "catalogue",
    "site",
    "pages",
    "collection",
    "groups",
    "settings",
    "cooperatives",
    "services",
    "gift_vouchers",
    "network",
    "bookshop",
)
EDITOR_PAGE_PERMS = ("add_page", "change_page", "lock_page")
MODERATOR_PAGE_PERMS = (*EDITOR_PAGE_PERMS, "publish_page", "unlock_page")
EDITOR_MEDIA_PERMS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
)
MODERATOR_MEDIA_PERMS = (
    *EDITOR_MEDIA_PERMS,
    ("wagtailimages", "delete_image"),
    ("wagtaildocs", "delete_document"),
)


class BuildError(Exception):
    """A spec that is valid on its own but cannot be built here (e.g. a host already taken)."""

    def __init__(self, errors: list[SpecError]):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


@dataclass
class BuildResult:
    territory: Territory
    summary: str
    urls: list[str]


def portal_urls(territory: Territory) -> list[str]:
    port = setting("PORTAL_DEV_PORT")
    urls = [f"http://{territory.slug}{setting('PORTAL_DEV_HOST_SUFFIX')}:{port}/"]
    urls += [f"https://{host}/" for host in territory.hostnames[1:]]
    return urls


def build(
    spec: TerritorySpec, say: Callable[[str], None] | None = None, dry_run: bool = False
) -> BuildResult:
    """Create or update the territory of ``spec`` in one transaction (rolled back if dry_run)."""
    say = say or (lambda _msg: None)
    seeder = Seeder(say)
    seeder.preload(f"{spec.slug}:")
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        _check_hosts_free(spec)
        builder = _Builder(spec, seeder)
        for number, step in enumerate(STEPS, start=1):
            say(f"  [{number}/{len(STEPS)}] {step}")
            getattr(builder, f"step_{step}")()
        result = BuildResult(builder.territory, seeder.summary(), portal_urls(builder.territory))
        if dry_run:
            transaction.set_rollback(True)
    return result


def _check_hosts_free(spec: TerritorySpec) -> None:
    taken = (
        TerritoryHost.objects.filter(hostname__in=spec.all_hosts)
        .exclude(territory__slug=spec.slug)
        .select_related("territory")
    )
    errors = [
        SpecError(
            display_path(spec.path),
            "hosts",
            f"'{h.hostname}' already belongs to the territory '{h.territory.slug}'",
        )
        for h in taken
    ]
    if errors:
        raise BuildError(errors)


class _Builder:
    def __init__(self, spec: TerritorySpec, seeder: Seeder):
        self.spec = spec
        self.seeder = seeder
        self.territory = Territory.objects.filter(slug=spec.slug).select_related("site").first()
        self.locales: dict[str, Locale] = {}
        self.homes: dict[str, Page] = {}

    def key(self, *parts: str) -> str:
        return ":".join((self.spec.slug, *parts))

    # 1 ----------------------------------------------------------------------------------------
    def step_locales(self) -> None:
        for code in self.spec.languages:
            locale, created = Locale.objects.get_or_create(language_code=code)
            self.locales[code] = locale
            self.seeder.count("locale", created, code)

    # 2 ----------------------------------------------------------------------------------------
    def step_catalogue(self) -> None:
        sync_catalogue(self.seeder)

    # 3 ----------------------------------------------------------------------------------------
    def step_site(self) -> None:
        spec = self.spec
        _retire_wagtail_placeholder()
        default = spec.languages[0]
        home = self._existing_page(self.key("page", "home", default))
        if home is None:
            with translation.override(default):
                home = HomePage(
                    title=spec.name,
                    slug=spec.slug,
                    locale=self.locales[default],
                    hero_title=spec.name,
                    hero_text=spec.tagline,
                )
            Page.get_first_root_node().add_child(instance=home)
            home.save_revision().publish()
            self._remember_page(self.key("page", "home", default), home, {"title": spec.name})
            self.seeder.count("page", True, f"home ({default})")
        self.homes[default] = home

        use_spec_host = setting("PORTAL_PRIMARY_HOST") == "spec" and spec.hosts
        primary = spec.hosts[0] if use_spec_host else spec.dev_host
        port = setting("PORTAL_DEV_PORT") if primary == spec.dev_host else 443
        if self.territory is None:
            site = Site.objects.create(
                hostname=primary, port=port, root_page=home, site_name=spec.name
            )
            self.territory = Territory(slug=spec.slug, site=site)
            self.seeder.count("site", True, primary)
        else:
            site = self.territory.site
            wanted = {
                "hostname": primary,
                "port": port,
                "root_page_id": home.pk,
                "site_name": spec.name,
            }
            if any(getattr(site, f) != v for f, v in wanted.items()):
                for f, v in wanted.items():
                    setattr(site, f, v)
                site.save()
                self.seeder.updated["site"] += 1
        self._sync_territory()
        self._sync_hosts()

    def _sync_territory(self) -> None:
        spec, territory = self.spec, self.territory
        wanted = {
            "name": spec.name,
            "tagline": spec.tagline,
            "hostnames": spec.all_hosts,
            "languages": spec.languages,
            "municipalities": spec.municipalities,
            "theme": spec.theme,
            "palette": spec.palette,
        }
        changed = [f for f, v in wanted.items() if getattr(territory, f) != v]
        for field in changed:
            setattr(territory, field, wanted[field])
        if territory.pk is None:
            territory.save()
            self.seeder.count("territory", True, spec.slug)
        elif changed:
            territory.save(update_fields=changed)
            self.seeder.updated["territory"] += 1
            self.seeder.say(f"    ~ territory: {', '.join(changed)}")

    def _sync_hosts(self) -> None:
        wanted = set(self.spec.all_hosts)
        existing = set(self.territory.hosts.values_list("hostname", flat=True))
        for hostname in sorted(wanted - existing):
            TerritoryHost.objects.create(territory=self.territory, hostname=hostname)
            self.seeder.count("host", True, hostname)
        stale = existing - wanted
        if stale:
            self.territory.hosts.filter(hostname__in=stale).delete()
            DjangoSite.objects.filter(domain__in=stale).delete()
            self.seeder.updated["host"] += len(stale)
        # Oscar records the django.contrib.sites row of the request's host on orders and mails.
        for hostname in sorted(wanted):
            _site, created = DjangoSite.objects.update_or_create(
                domain=hostname, defaults={"name": self.spec.name}
            )
            self.seeder.count("django site", created, hostname)

    # 4 ----------------------------------------------------------------------------------------
    def step_pages(self) -> None:
        default = self.spec.languages[0]
        home = self.homes[default]
        self._seed_page(self.key("page", "home", default), home, {"title": self.spec.name})
        for code in self.spec.languages[1:]:
            self.homes[code] = self._translation_of(home, "home", code, title=self.spec.name)
        for section, page_type, title, intro in SECTIONS:
            original = self._section(section, page_type, default, title, intro)
            if original is None:
                continue  # an editor deleted it: leave it deleted
            for code in self.spec.languages[1:]:
                self._translation_of(original, section, code, title=title, intro=intro)

    def _section(self, section: str, page_type, code: str, title: str, intro: str) -> Page | None:
        key = self.key("page", section, code)
        with translation.override(code):
            wanted = {"title": _(title), "intro": f"<p>{_(intro)}</p>"}
        page = self._existing_page(key)
        if page is None:
            if self.seeder.record(f"{key}:id") is not None:
                return None
            page = page_type(
                slug=slugify(wanted["title"]),
                locale=self.locales[code],
                show_in_menus=section not in FOOTER_SECTIONS,
                **wanted,
            )
            self.homes[code].add_child(instance=page)
            page.save_revision().publish()
            self._remember_page(key, page, wanted)
            self.seeder.count("page", True, f"{section} ({code})")
            return page
        self._seed_page(key, page, wanted)
        return page

    def _translation_of(
        self, original: Page, section: str, code: str, title: str, intro: str = ""
    ) -> Page | None:
        key = self.key("page", section, code)
        page = self._existing_page(key)
        with translation.override(code):
            wanted = {"title": _(title)}
            if intro:
                wanted["intro"] = f"<p>{_(intro)}</p>"
        if page is None:
            if self.seeder.record(f"{key}:id") is not None:
                return None
            page = original.get_translation_or_none(self.locales[code])
            if page is None:
                page = original.copy_for_translation(self.locales[code]).specific
                for field, value in wanted.items():
                    setattr(page, field, value)
                if section != "home":
                    page.slug = slugify(wanted["title"])
                page.save_revision().publish()
                self.seeder.count("page", True, f"{section} ({code})")
            self._remember_page(key, page, wanted)
            return page
        self._seed_page(key, page, wanted)
        return page

    def _existing_page(self, key: str) -> Page | None:
        record = self.seeder.record(f"{key}:id")
        if record is None:
            return None
        return Page.objects.filter(pk=record.value).specific().first()

    def _remember_page(self, key: str, page: Page, fields: dict) -> None:
        self.seeder.remember(f"{key}:id", page.pk)
        self.seeder.remember(key, fields)

    def _seed_page(self, key: str, page: Page, wanted: dict) -> None:
        """Follow the spec on a page nobody edited; publish the change as a new revision."""
        if page.has_unpublished_changes:
            return  # an editor's draft is in progress: it is theirs
        current = {field: getattr(page, field) for field in wanted}
        changes = self.seeder.merge(key, current, wanted, created=False)
        if changes:
            for field, value in changes.items():
                setattr(page, field, value)
            page.save_revision().publish()
            self.seeder.updated["page"] += 1
            self.seeder.say(f"    ~ {key}: {', '.join(changes)}")

    # 5 ----------------------------------------------------------------------------------------
    def step_collection(self) -> None:
        territory = self.territory
        if territory.collection_id is None:
            collection = Collection.get_first_root_node().add_child(name=self.spec.name)
            territory.collection = collection
            territory.save(update_fields=["collection"])
            self.seeder.count("collection", True, self.spec.name)
        elif territory.collection.name != self.spec.name:
            territory.collection.name = self.spec.name
            territory.collection.save()
            self.seeder.updated["collection"] += 1

    # 6 ----------------------------------------------------------------------------------------
    def step_groups(self) -> None:
        territory = self.territory
        territory.editors = self._group(
            "editors", _("%(portal)s editors") % {"portal": self.spec.name}
        )
        territory.moderators = self._group(
            "moderators", _("%(portal)s moderators") % {"portal": self.spec.name}
        )
        territory.save(update_fields=["editors", "moderators"])
        territory.moderators.permissions.add(dashboard_access())  # territory staff: its orders
        access_admin = Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
        change_settings = Permission.objects.get(
            content_type__app_label="territories", codename="change_portalsettings"
        )
        for group, page_perms, media_perms in (
            (territory.editors, EDITOR_PAGE_PERMS, EDITOR_MEDIA_PERMS),
            (territory.moderators, MODERATOR_PAGE_PERMS, MODERATOR_MEDIA_PERMS),
        ):
            group.permissions.add(access_admin)
            # the admin's "Translate" action (wagtail-localize) on their own pages
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label="wagtail_localize", codename="submit_translation"
                )
            )
            for home in self.homes.values():
                for codename in page_perms:
                    _perm, created = GroupPagePermission.objects.get_or_create(
                        group=group,
                        page=home,
                        permission=Permission.objects.get(
                            content_type__app_label="wagtailcore", codename=codename
                        ),
                    )
                    self.seeder.count("page permission", created)
            for app_label, codename in media_perms:
                _perm, created = GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=territory.collection,
                    permission=Permission.objects.get(
                        content_type__app_label=app_label, codename=codename
                    ),
                )
                self.seeder.count("media permission", created)
            _perm, created = GroupSitePermission.objects.get_or_create(
                group=group, site=territory.site, permission=change_settings
            )
            self.seeder.count("settings permission", created)
        self._workflow()

    def _group(self, role: str, name: str) -> Group:
        group, created = own_group(getattr(self.territory, role), name, self.spec.slug)
        self.seeder.count("group", created, group.name)
        return group

    def _workflow(self) -> None:
        """Editors submit, the territory's moderators publish."""
        name = _("%(portal)s moderation") % {"portal": self.spec.name}
        key = self.key("workflow")
        record = self.seeder.record(key)
        workflow = Workflow.objects.filter(pk=record.value["id"]).first() if record else None
        if workflow is None and record is None:
            workflow = Workflow.objects.create(name=name)
            task = GroupApprovalTask.objects.create(name=_("Moderators' approval"))
            task.groups.set([self.territory.moderators])
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
            self.seeder.remember(key, {"id": workflow.pk})
            self.seeder.count("workflow", True, name)
        if workflow is not None:
            for home in self.homes.values():
                _wp, created = WorkflowPage.objects.get_or_create(
                    page=home, defaults={"workflow": workflow}
                )
                self.seeder.count("workflow page", created)

    # 7 ----------------------------------------------------------------------------------------
    def step_settings(self) -> None:
        site = self.territory.site
        portal_settings = PortalSettings.objects.filter(site=site).first() or PortalSettings(
            site=site
        )
        self.seeder.seed_fields(self.key("settings"), portal_settings, dict(self.spec.contacts))

    # 8 ----------------------------------------------------------------------------------------
    def step_cooperatives(self) -> None:
        User = get_user_model()
        self.partners: dict[str, Partner] = {}
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

    # 9 ----------------------------------------------------------------------------------------
    def step_services(self) -> None:
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


def _retire_wagtail_placeholder() -> None:
    """Remove Wagtail's "Welcome" page and default site if they are still untouched.

    They come with Wagtail's first migration; left in place, the default site would answer
    for unknown hosts. A portal is never chosen as a default.
    """
    placeholder = Page.objects.filter(depth=2, slug="home", content_type__model="page").first()
    if placeholder is not None and placeholder.get_descendant_count() == 0:
        Site.objects.filter(root_page=placeholder).delete()
        placeholder.delete()
    Site.objects.filter(is_default_site=True).update(is_default_site=False)
