"""Newsletter test helpers: an issue in the archive, subscribers made directly."""

from django.utils import timezone

from portal.newsletters.access import communications_group, newsletter_archive
from portal.newsletters.models import NewsletterIssuePage, Subscriber
from shop.catalogue.facets import encode


def issue(title="Estate 2027", tag="estate-2027", publish=True) -> NewsletterIssuePage:
    page = NewsletterIssuePage(
        title=title,
        slug=tag,
        subject=f"{title}: le novità",
        intro="I centri estivi aprono le iscrizioni.",
        campaign_tag=tag,
        live=False,
        body=[
            ("heading", "Centri estivi"),
            (
                "paragraph",
                '<p>Leggi <a href="https://example.it/centri?x=1">il programma</a>.</p>',
            ),
            ("button", {"label": "Iscriviti ora", "url": "https://example.it/iscrizioni"}),
        ],
    )
    newsletter_archive().add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return page


def subscriber(territory, email, language="it", interests=(), status="active") -> Subscriber:
    return Subscriber.objects.create(
        email=email,
        territory=territory,
        language=language,
        interests=encode(interests),
        status=status,
        confirmed_at=timezone.now(),
    )


def communications_user(email="comunicazione@example.it"):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username=email, email=email, password="x")
    user.groups.add(communications_group()[0])
    return user
