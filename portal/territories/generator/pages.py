"""Step 4: one page tree per language, seeded once and then owned by editors."""

from copy import deepcopy
from datetime import date

from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from wagtail.models import Page

from portal.content.models import (
    FormPage,
    NewsIndexPage,
    ReadingTipIndexPage,
    ServiceIndexPage,
    StandardPage,
    WebinarIndexPage,
)

from .legal_pages import Portal, accessibility_statement, privacy_notice

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
# The sections whose body the generator writes from the spec (then editors own it).
WRITTEN_BODIES = {"privacy": privacy_notice, "accessibility": accessibility_statement}


def stream_json(stream) -> list[dict]:
    """A StreamField value as the generator writes it: blocks' type and value, no ids."""
    return [{"type": b["type"], "value": b["value"]} for b in stream.get_prep_value()]


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
            wanted.update(self._written_body(section, code))
        page = self._existing_page(key)
        if page is None:
            if self.seeder.record(f"{key}:id") is not None:
                return None
            page = page_type(
                slug=slugify(wanted["title"]),
                locale=self.locales[code],
                show_in_menus=section not in FOOTER_SECTIONS,
                **deepcopy(wanted),  # Wagtail adds block ids to the dicts it is given
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
            wanted.update(self._written_body(section, code))
        if page is None:
            if self.seeder.record(f"{key}:id") is not None:
                return None
            page = original.get_translation_or_none(self.locales[code])
            if page is None:
                page = original.copy_for_translation(self.locales[code]).specific
                for field, value in wanted.items():
                    setattr(page, field, deepcopy(value))
                if section != "home":
                    page.slug = slugify(wanted["title"])
                page.save_revision().publish()
                self.seeder.count("page", True, f"{section} ({code})")
            self._remember_page(key, page, wanted)
            return page
        self._seed_page(key, page, wanted)
        return page

    def _written_body(self, section: str, code: str) -> dict:
        """``{"body": …}`` for a section whose text the generator writes, in the active language."""
        write = WRITTEN_BODIES.get(section)
        if write is None:
            return {}
        portal = Portal(
            spec=self.spec,
            url=self._main_url(),
            published=self._published(),
            feedback_link=self._feedback_link(code),
        )
        return {"body": write(portal)}

    def _main_url(self) -> str:
        if self.spec.hosts:
            return f"https://{self.spec.hosts[0]}/"
        return self.territory.site.root_url + "/"

    def _published(self) -> date:
        """The day the generator first wrote the legal pages (the date they state)."""
        key = self.key("legal", "published")
        record = self.seeder.record(key)
        if record is None:
            self.seeder.remember(key, timezone.localdate().isoformat())
            record = self.seeder.record(key)
        return date.fromisoformat(record.value)

    def _feedback_link(self, code: str) -> str:
        """Where the accessibility statement sends feedback: the spec's address, else the
        portal's contact form, else its contacts page (rich-text page links follow moves)."""
        if self.spec.accessibility.feedback_url:
            return format_html(
                '<a href="{}">{}</a>', self.spec.accessibility.feedback_url, _("the feedback form")
            )
        home = self.homes.get(code)
        form = (
            FormPage.objects.live().descendant_of(home).order_by("path").first() if home else None
        )
        if form is not None:
            return format_html('<a linktype="page" id="{}">{}</a>', form.pk, _("the contact form"))
        contacts = self._existing_page(self.key("page", "contacts", code))
        if contacts is not None:
            return format_html(
                '<a linktype="page" id="{}">{}</a>', contacts.pk, _("the contacts page")
            )
        return ""

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
        current = {
            field: stream_json(page.body) if field == "body" else getattr(page, field)
            for field in wanted
        }
        last = self.seeder.record(key)
        if "body" in wanted and current["body"] and "body" not in ((last and last.value) or {}):
            # A body written before the generator wrote one is an editor's: keep it.
            del wanted["body"], current["body"]
        changes = self.seeder.merge(key, current, wanted, created=False)
        if changes:
            for field, value in changes.items():
                setattr(page, field, deepcopy(value))
            page.save_revision().publish()
            self.seeder.updated["page"] += 1
            self.seeder.say(f"    ~ {key}: {', '.join(changes)}")
