"""Every link in the citizen's e-mails opens the right page on the right portal, with the
port in development: the status change of an order line, the webinar registration, the gift
voucher. Each e-mail is rendered as sent (plain text and HTML), each link followed on its
own host, signed out and, for the order, signed in."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client

from shop.giftcards.delivery import send_card
from tests.conftest import portal_client
from tests.orders_support import basket_with, book, citizen, place
from tests.test_giftcards import new_card
from tests.test_moderation_emails import assert_links_open_on, links_of
from tests.test_webinars import add_webinar, sign_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_development(territories):
    """The portals answer on port 8000, as in ``make demo``: the sites rows say so."""
    for territory in territories.values():
        site = territory.site
        site.port = 8000
        site.save(update_fields=["port"])
    return territories


def on_portal(territory, *texts):
    def check(response, link):
        assert response.wsgi_request.territory == territory, link
        for text in texts:
            assert text in response.text, (link, text)

    return check


@pytest.mark.parametrize(
    "language, login", [("it", "/shop/accounts/login/"), ("en", "/en/shop/accounts/login/")]
)
def test_the_status_change_links_open_the_order_on_its_portal(
    in_development, django_capture_on_commit_callbacks, language, login
):
    rho = in_development["rho"]
    basket = basket_with(rho, ["yoga-bambini-online"], user=citizen())
    book(basket, rho, language=language)
    order = place(basket, user=citizen())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        order.lines.get().set_status("accepted")
    [message] = mail.outbox
    links = links_of(message)
    assert links and all(":8000" in link for link in links), links
    assert_links_open_on(
        rho, message, citizen(), login_path=login, opens=on_portal(rho, order.number)
    )


def test_the_webinar_links_open_the_webinar_and_its_cancellation_on_its_portal(
    in_development,
):
    sondrio = in_development["sondrio"]
    page = add_webinar(sondrio, "Benessere digitale", starts_in=timedelta(days=3))
    mail.outbox.clear()
    client = Client(HTTP_HOST=urlsplit(sondrio.site.root_url).netloc)
    assert sign_up(client, page).status_code in (200, 302)
    [message] = [m for m in mail.outbox if m.to == ["anna@example.it"]]
    links = [link for link in links_of(message) if "meet.example.org" not in link]
    assert len(links) >= 2, message.body
    for link in links:
        parts = urlsplit(link)
        assert parts.netloc == urlsplit(sondrio.site.root_url).netloc, link
        response = Client(HTTP_HOST=parts.netloc).get(parts.path)
        assert response.status_code == 200, link
        assert response.wsgi_request.territory == sondrio, link
        assert "Benessere digitale" in response.text, link


@pytest.mark.parametrize("slug", ["sondrio", "napoli"])
def test_the_gift_voucher_links_open_its_portal(in_development, slug):
    territory = in_development[slug]
    card, code = new_card(territory)
    card.code, card.sent_at = code, None  # issued and not mailed yet
    card.save(update_fields=["code", "sent_at"])
    mail.outbox.clear()
    assert send_card(card.pk)
    [message] = mail.outbox
    assert message.alternatives, "the voucher has an HTML part"
    assert_links_open_on(territory, message, None, opens=on_portal(territory, territory.name))
    # signed-out visitors open both: the balance page and the portal's home
    assert portal_client(slug).get("/shop/giftcards/balance/").status_code == 200
