"""The accessibility statement and the privacy notice, written from the spec in one language.

Both are seeded once as the body of their standard page and then belong to editors (the
ownership rule of :mod:`portal.territories.seeding`). The accessibility statement follows
AgID's model (Linee guida sull'accessibilità degli strumenti informatici, Law 4/2004); the
privacy notice gives what article 13 of the GDPR asks for. The texts are msgids translated in
the .po files like every other string, so that a portal in en or de gets them in its language.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from ..spec import NonAccessibleItem, TerritorySpec

AGID_DIFENSORE_CIVICO_URL = (
    "https://www.agid.gov.it/it/design-servizi/accessibilita/difensore-civico-digitale"
)
GARANTE_URL = "https://www.garanteprivacy.it/"

# What the portal is known not to make accessible by itself, stated when the spec lists
# nothing (key, content, reason, alternative).
BUILTIN_NON_ACCESSIBLE = [
    (
        "documents",
        gettext_noop(
            "Documents (PDF and other files) published by the editors may not be accessible "
            "when they were not produced with accessibility in mind."
        ),
        "non_conformity",
        gettext_noop("Ask for an accessible version of a document using the contacts below."),
    ),
    (
        "card-payment",
        gettext_noop(
            "The card payment fields are provided by Stripe, a third party: their "
            "accessibility is not under our control."
        ),
        "out_of_scope",
        gettext_noop(
            "You can pay with a wallet credit or a gift voucher, or ask the help desk to "
            "complete the purchase with you."
        ),
    ),
    (
        "live-webinars",
        gettext_noop(
            "Webinars broadcast live on external platforms may have no captions or transcript."
        ),
        "out_of_scope",
        gettext_noop("Ask the help desk for a summary of the webinar."),
    ),
]

REASON_HEADINGS = {
    "non_conformity": gettext_noop("Non-compliance with Law 4/2004"),
    "disproportionate_burden": gettext_noop("Disproportionate burden"),
    "out_of_scope": gettext_noop("Content outside the scope of the applicable law"),
}


def builtin_non_accessible() -> list[NonAccessibleItem]:
    return [
        NonAccessibleItem(content=content, reason=reason, alternative=alternative, builtin=key)
        for key, content, reason, alternative in BUILTIN_NON_ACCESSIBLE
    ]


@dataclass(frozen=True)
class Portal:
    """What the texts say about one portal, in the language being written."""

    spec: TerritorySpec
    url: str  # the portal's main address
    published: date  # when the generator first wrote these pages
    feedback_link: str  # rich-text <a> of the feedback form or contacts page, or ""


# Rich-text blocks of the body StreamField, in its JSON form (what the seeder compares).
def _heading(text: str, level: str = "h2") -> dict:
    return {"type": "heading", "value": {"text": text, "level": level}}


def _paragraph(html: str) -> dict:
    return {"type": "paragraph", "value": f"<p>{html}</p>"}


def _list(items: list[str]) -> dict:
    return {
        "type": "paragraph",
        "value": "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>",
    }


def _mailto(email: str) -> SafeString:
    return format_html('<a href="mailto:{}">{}</a>', email, email)


def _link(url: str, text: str) -> SafeString:
    return format_html('<a href="{}">{}</a>', url, text)


def _as_written(text: str, spec: TerritorySpec) -> str:
    """Text the spec wrote (in its default language), marked as such on a page in another
    language so that screen readers pronounce it right (WCAG 3.1.2)."""
    source = spec.languages[0]
    if (get_language() or source).split("-")[0] == source:
        return escape(text)
    return format_html('<span lang="{}">{}</span>', source, text)


def _day(value: date) -> str:
    if get_language() == "it":  # "2 dicembre 2026": Django's format pads the day, capitalises
        return f"{value.day} {date_format(value, 'F').lower()} {value.year}"
    return date_format(value, "DATE_FORMAT")


def accessibility_statement(portal: Portal) -> list[dict]:
    """The statement of AgID's model: status, non-accessible content, preparation, feedback,
    enforcement procedure, the entity and the site."""
    spec, a11y = portal.spec, portal.spec.accessibility
    entity = spec.privacy.controller
    site = _link(portal.url, portal.url)
    assessed = a11y.assessed or portal.published
    reviewed = a11y.reviewed or assessed
    items = a11y.non_accessible if a11y.non_accessible is not None else builtin_non_accessible()

    body = [
        _paragraph(
            format_html(
                _(
                    "{entity} is committed to making its website accessible, in accordance "
                    "with Law no. 4 of 9 January 2004. This accessibility statement applies "
                    "to {name} ({site})."
                ),
                entity=entity,
                name=spec.name,
                site=site,
            )
        ),
        _heading(_("Conformance status")),
    ]
    status = {
        "compliant": _(
            "This website is compliant with the requirements of the UNI CEI EN 301549 "
            "standard, which includes the Web Content Accessibility Guidelines (WCAG) 2.1 "
            "at level AA, as required by AgID's guidelines on the accessibility of IT tools."
        ),
        "partially_compliant": _(
            "This website is partially compliant with the requirements of the UNI CEI EN "
            "301549 standard, which includes the Web Content Accessibility Guidelines (WCAG) "
            "2.1 at level AA, as required by AgID's guidelines on the accessibility of IT "
            "tools, because of the cases of non-compliance and the exemptions listed below."
        ),
        "non_compliant": _(
            "This website is not compliant with the requirements of the UNI CEI EN 301549 "
            "standard, which includes the Web Content Accessibility Guidelines (WCAG) 2.1 "
            "at level AA, as required by AgID's guidelines on the accessibility of IT tools, "
            "because of the cases of non-compliance and the exemptions listed below."
        ),
    }[a11y.status]
    body.append(_paragraph(escape(status)))

    if items:
        body += [
            _heading(_("Non-accessible content")),
            _paragraph(escape(_("The content listed below is not accessible."))),
        ]
        for reason, heading in REASON_HEADINGS.items():
            of_reason = [item for item in items if item.reason == reason]
            if of_reason:
                body += [
                    _heading(_(heading), "h3"),
                    _list([_item(i, spec) for i in of_reason]),
                ]

    body += [
        _heading(_("Preparation of this statement")),
        _paragraph(
            escape(
                _(
                    "This statement was prepared on {assessed} on the basis of a "
                    "self-assessment carried out by {entity}. It was last reviewed on "
                    "{reviewed}."
                ).format(assessed=_day(assessed), entity=entity, reviewed=_day(reviewed))
            )
        ),
        _heading(_("Feedback and contact details")),
    ]
    contacts = spec.contacts
    if portal.feedback_link:
        how = format_html(
            _(
                "To report an accessibility problem, or to ask for information or content "
                "that is not accessible, use {form} or write to {email}."
            ),
            form=mark_safe(portal.feedback_link),  # built by format_html in pages.py
            email=_mailto(contacts["email"]),
        )
    else:
        how = format_html(
            _(
                "To report an accessibility problem, or to ask for information or content "
                "that is not accessible, write to {email}."
            ),
            email=_mailto(contacts["email"]),
        )
    body.append(
        _paragraph(how + " " + escape(_("{entity} answers within 30 days.").format(entity=entity)))
    )
    details = [format_html("{}: {}", _("E-mail"), _mailto(contacts["email"]))]
    if contacts.get("phone"):
        details.append(escape(f"{_('Phone')}: {contacts['phone']}"))
    if contacts.get("address"):
        details.append(escape(f"{_('Help desk')}: {contacts['address']}"))
    if contacts.get("hours"):
        details.append(
            format_html("{}: {}", _("Opening hours"), _as_written(contacts["hours"], spec))
        )
    body.append(_list(details))

    body += [
        _heading(_("Enforcement procedure")),
        _paragraph(
            escape(
                _(
                    "If the answer is unsatisfactory, or if no answer arrives within 30 days "
                    "of the report or request, you can report it to the Difensore civico per "
                    "il digitale (the ombudsman for digital matters) at the Agenzia per "
                    "l'Italia Digitale (AgID), under article 3-quinquies of Law no. 4 of "
                    "9 January 2004."
                )
            )
        ),
        _paragraph(
            _link(
                AGID_DIFENSORE_CIVICO_URL,
                _("How to report to the Difensore civico per il digitale"),
            )
        ),
        _heading(_("About the entity and the website")),
        _list(_entity_details(portal)),
    ]
    return body


def _item(item: NonAccessibleItem, spec: TerritorySpec) -> str:
    if item.builtin:  # the platform's own texts are translated
        text = escape(_(item.content))
        if item.alternative:
            text += " " + escape(
                _("Alternative: {alternative}").format(alternative=_(item.alternative))
            )
        return text
    text = _as_written(item.content, spec)
    if item.alternative:
        text += " " + format_html(
            _("Alternative: {alternative}"), alternative=_as_written(item.alternative, spec)
        )
    return text


def _entity_details(portal: Portal) -> list[str]:
    spec, privacy = portal.spec, portal.spec.privacy
    details = [escape(f"{_('Entity')}: {privacy.controller}")]
    if privacy.controller_vat:
        details.append(escape(f"{_('VAT number')}: {privacy.controller_vat}"))
    if privacy.controller_address:
        details.append(escape(f"{_('Address')}: {privacy.controller_address}"))
    details += [
        format_html("{}: {} ({})", _("Website"), spec.name, _link(portal.url, portal.url)),
        escape(f"{_('Published on')}: {_day(portal.published)}"),
        escape(
            f"{_('Services provided by')}: " + ", ".join(c.legal_name for c in spec.cooperatives)
        ),
        escape(f"{_('Content management system')}: Wagtail"),
    ]
    return details


def privacy_notice(portal: Portal) -> list[dict]:
    """The information of GDPR article 13: controller, purposes and legal bases, recipients,
    retention, rights and the complaint to the Garante, cookies."""
    spec, privacy = portal.spec, portal.spec.privacy
    controller = privacy.controller
    email = _mailto(privacy.controller_email)
    who = [escape(controller)]
    if privacy.controller_vat:
        who.append(escape(f"{_('VAT number')} {privacy.controller_vat}"))
    if privacy.controller_address:
        who.append(escape(privacy.controller_address))
    body = [
        _paragraph(
            format_html(
                _(
                    "This notice explains how {controller} processes the personal data of the "
                    "people who use {name} ({site}), under article 13 of Regulation (EU) "
                    "2016/679 (GDPR)."
                ),
                controller=controller,
                name=spec.name,
                site=_link(portal.url, portal.url),
            )
        ),
        _heading(_("Data controller")),
        _paragraph(format_html("{}. {}: {}.", mark_safe(", ".join(who)), _("E-mail"), email)),
    ]
    if privacy.dpo_email:
        body.append(
            _paragraph(
                format_html(
                    "{}: {}.", _("Data protection officer (DPO)"), _mailto(privacy.dpo_email)
                )
            )
        )
    purposes = [
        _(
            "Account: your name, your e-mail address and your password (never stored in "
            "readable form), to give you access to your orders, bookings and family members. "
            "Legal basis: the performance of a contract (art. 6(1)(b) GDPR)."
        ),
        _(
            "Orders and payments: the services and gift vouchers you buy, the person who "
            "receives the service (you or a relative) and the invoicing data. Card payments "
            "are handled by Stripe: the portal never sees or stores your card number. Legal "
            "basis: the performance of a contract; for invoices and accounting, a legal "
            "obligation (art. 6(1)(c) GDPR)."
        ),
        _(
            "Bookings: the preferred dates, the details of the person who receives the "
            "service and the notes you write, so that the cooperative can provide it. Legal "
            "basis: the performance of a contract. Information about health that you choose "
            "to give is used only to provide the service you asked for, with your explicit "
            "consent (art. 9(2)(a) GDPR)."
        ),
        _(
            "Webinars and events: the details of your registration, to let you take part. "
            "Legal basis: the performance of a contract (your registration)."
        ),
        _(
            "Newsletter: your e-mail address, only if you subscribe. You can unsubscribe at "
            "any time with the link in every message. Legal basis: your consent "
            "(art. 6(1)(a) GDPR)."
        ),
        _(
            "Contact form and help desk: what you write to us, to answer you. Legal basis: "
            "steps taken at your request (art. 6(1)(b) GDPR) and the legitimate interest in "
            "answering (art. 6(1)(f) GDPR)."
        ),
    ]
    recipients = [
        _(
            "The cooperatives that provide the services of this portal, each only for the "
            "orders and bookings of its own services: {cooperatives}."
        ).format(cooperatives=", ".join(c.legal_name for c in spec.cooperatives)),
        _("Stripe Payments Europe, Ltd., which processes card payments as a data processor."),
        _(
            "The technical providers that host the portal and send its e-mails, as data "
            "processors bound by contract."
        ),
        _("Public authorities, when the law requires it."),
    ]
    retention = [
        _("Account: until you close it."),
        _(
            "Orders and invoices: ten years, as required by tax and accounting law "
            "(art. 2220 of the Italian Civil Code)."
        ),
        _("Newsletter: until you unsubscribe."),
        _("Messages sent with the contact form: as long as needed to answer, at most 12 months."),
    ]
    cookies = [
        _("sessionid: keeps you signed in and remembers your choices during the visit."),
        _("csrftoken: protects the forms against requests forged by other sites (CSRF)."),
        _("oscar_open_basket: remembers the basket of a visitor who is not signed in."),
        _("oscar_history: remembers the services you looked at recently, to show them again."),
        _("messages: carries a short notice (for example “added to the basket”) to the next page."),
        _("__stripe_mid, __stripe_sid: set by Stripe on the payment page only, to prevent fraud."),
    ]
    body += [
        _heading(_("What data we process, why, and on what legal basis")),
        _list([escape(p) for p in purposes]),
        _heading(_("Who receives the data")),
        _list([escape(r) for r in recipients]),
        _paragraph(
            escape(
                _(
                    "Personal data is not disseminated. Stripe may process data outside the "
                    "European Economic Area, with the safeguards required by Chapter V of the "
                    "GDPR."
                )
            )
        ),
        _heading(_("How long we keep the data")),
        _list([escape(r) for r in retention]),
        _heading(_("Your rights")),
        _paragraph(
            format_html(
                _(
                    "You can ask {controller} for access to your data, its rectification or "
                    "erasure, the restriction of its processing and its portability, and you "
                    "can object to its processing (articles 15 to 22 GDPR), writing to "
                    "{email}. You can withdraw your consent at any time; this does not affect "
                    "the processing carried out before."
                ),
                controller=controller,
                email=email,
            )
        ),
        _paragraph(
            format_html(
                _(
                    "If you believe that your data is processed unlawfully, you have the right "
                    "to lodge a complaint with the {garante} (article 77 GDPR)."
                ),
                garante=_link(GARANTE_URL, "Garante per la protezione dei dati personali"),
            )
        ),
        _heading(_("Is giving your data required?")),
        _paragraph(
            escape(
                _(
                    "The data marked as required in the forms is needed to provide the "
                    "service: without it we cannot open the account, complete the order or "
                    "answer you. No decision about you is taken by automated means only "
                    "(article 22 GDPR)."
                )
            )
        ),
        _heading(_("Cookies")),
        _paragraph(
            escape(
                _(
                    "This portal uses only technical cookies, which it needs to work and which "
                    "need no consent (article 122 of Legislative Decree 196/2003). It uses no "
                    "profiling or analytics cookies."
                )
            )
        ),
        _list([escape(c) for c in cookies]),
        _heading(_("Date of this notice")),
        _paragraph(escape(_day(portal.published))),
    ]
    return body
