"""Steps 1-3 and 7: locales, the shared catalogue, the Wagtail site and its hosts, settings."""

from django.conf import settings
from django.contrib.sites.models import Site as DjangoSite
from django.utils import translation
from wagtail.models import Locale, Page, Site

from portal.content.models import HomePage
from portal.defaults import setting
from shop.catalogue.fixture import sync_catalogue

from ..models import PortalSettings, Territory, TerritoryHost


class SiteSteps:
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
        # The hub hosts serve the admin too: its login page (Django's LoginView) asks for the
        # request's django.contrib.sites row, and there is none for a host of no portal.
        for hostname in setting("PORTAL_HUB_HOSTS"):
            _site, created = DjangoSite.objects.get_or_create(
                domain=hostname, defaults={"name": str(settings.WAGTAIL_SITE_NAME)}
            )
            self.seeder.count("django site", created, hostname)

    # 7 ----------------------------------------------------------------------------------------
    def step_settings(self) -> None:
        site = self.territory.site
        portal_settings = PortalSettings.objects.filter(site=site).first() or PortalSettings(
            site=site
        )
        self.seeder.seed_fields(self.key("settings"), portal_settings, dict(self.spec.contacts))


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
