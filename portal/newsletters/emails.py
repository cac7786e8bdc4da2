"""An issue as an e-mail: HTML (accessible: lang, a title, real headings, link text that
says where it goes) and plain text, with the RFC 8058 unsubscribe headers.

The issue is rendered once per portal and language, with the addresses of the recipient's
own pages as patterns; what differs per recipient (the signed token in their preferences and
unsubscribe links, signed once for both) is put in afterwards, so 100,000 e-mails cost
100,000 signatures and string replacements, not 100,000 template renderings or URL
resolutions.
"""

import re
import secrets
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags

from portal.territories.models import Territory
from portal.territories.themes import use_theme

from .models import NewsletterIssuePage, Subscriber
from .subscriptions import subscriber_token

PREFERENCES, UNSUBSCRIBE = "__PREFERENCES_URL__", "__UNSUBSCRIBE_URL__"
TOKEN = "__TOKEN__"
HREF = re.compile(r'href="(https?://[^"]+)"')


def tagged(url: str, tag: str) -> str:
    """``url`` with the campaign's tag (utm-like parameters), any other parameter kept."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if not k.startswith("utm_")]
    query += [("utm_source", "newsletter"), ("utm_medium", "email"), ("utm_campaign", tag)]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _tag_links(html: str, tag: str) -> str:
    return HREF.sub(
        lambda m: f'href="{tagged(unescape(m.group(1)), tag)}"'.replace("&", "&amp;"), html
    )


@dataclass
class RenderedIssue:
    subject: str
    html: str
    text: str
    # the recipient's links on the sending portal, TOKEN standing for their signed token
    preferences_url: str = ""
    unsubscribe_url: str = ""
    # the MIME boundary of its e-mails: chosen once (the standard library would choose one
    # for each e-mail and search the whole message for it, a quarter of an e-mail's cost);
    # random, so that no address or link of a recipient can contain it
    boundary: str = field(default_factory=lambda: f"==portal-{secrets.token_hex(16)}==")


class IssueMessage(EmailMultiAlternatives):
    """An issue's e-mail, with its rendering's MIME boundary."""

    boundary = ""

    def message(self, *args, **kwargs):
        mime = super().message(*args, **kwargs)
        if self.boundary:
            mime.set_boundary(self.boundary)
        return mime


def render_issue(issue: NewsletterIssuePage, territory: Territory, language: str) -> RenderedIssue:
    """The issue as sent from ``territory`` in ``language``, links tagged, the recipient's own
    links left as placeholders."""
    with translation.override(language), use_theme(territory.theme):
        context = {
            "issue": issue,
            "portal_name": territory.name,
            "portal_url": tagged(territory.site.root_url + "/", issue.campaign_tag),
            "language": language,
            "preferences_url": PREFERENCES,
            "unsubscribe_url": UNSUBSCRIBE,
        }
        html = render_to_string("newsletters/email/issue.html", context)
        text = render_to_string("newsletters/email/issue.txt", context)
    html = _tag_links(html, issue.campaign_tag)
    root = territory.site.root_url
    return RenderedIssue(
        issue.subject,
        html,
        text,
        root + reverse("newsletters:preferences", args=[TOKEN]),
        root + reverse("newsletters:unsubscribe", args=[TOKEN]),
    )


def plain_text(html: str) -> str:
    return unescape(strip_tags(html)).strip()


def issue_message(rendered: RenderedIssue, subscriber: Subscriber) -> EmailMultiAlternatives:
    """The e-mail to one subscriber: their links, and the one-click unsubscribe headers."""
    token = subscriber_token(subscriber)
    preferences = rendered.preferences_url.replace(TOKEN, token)
    unsubscribe = rendered.unsubscribe_url.replace(TOKEN, token)

    def own(body: str) -> str:
        return body.replace(PREFERENCES, preferences).replace(UNSUBSCRIBE, unsubscribe)

    message = IssueMessage(
        subject=rendered.subject,
        body=own(rendered.text),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscriber.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(own(rendered.html), "text/html")
    if rendered.boundary not in rendered.html and rendered.boundary not in rendered.text:
        message.boundary = rendered.boundary
    return message
