"""Step 4: one page tree per language, seeded once and then owned by editors."""

from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from wagtail.models import Page

from portal.content.models import (
    NewsIndexPage,
    ReadingTipIndexPage,
    ServiceIndexPage,
    StandardPage,
    WebinarIndexPage,
)

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


class PageSteps:
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
