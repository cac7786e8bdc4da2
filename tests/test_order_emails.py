"""E-mails: the citizen's confirmation, one per cooperative with its own lines, routed lines."""

import pytest
from django.core import mail
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import gettext
from oscar.core.loading import get_class, get_model

from tests.orders_support import basket_with, book, citizen, place

pytestmark = pytest.mark.django_db
Partner = get_model("partner", "Partner")
OrderDispatcher = get_class("order.utils", "OrderDispatcher")


def staff_emails(code: str) -> set[str]:
    return {u.email for u in Partner.objects.get(code=code).users.all()}


def test_each_cooperative_gets_one_email_with_only_its_lines(
    territories, django_capture_on_commit_callbacks
):
    basket = basket_with(
        territories["padova"], ["socializzazione-anziani", "italiano-l2-minori"], user=citizen()
    )
    book(basket, territories["padova"], name="Giovanni Bianchi", preferred_times="sabato")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        order = place(basket, user=citizen())

    by_recipients = {frozenset(m.to): m for m in mail.outbox}
    assert len(mail.outbox) == len(staff_emails("jonathan")) + len(staff_emails("veneto-insieme"))
    jonathan = [m for m in mail.outbox if m.to[0] in staff_emails("jonathan")]
    veneto = [m for m in mail.outbox if m.to[0] in staff_emails("veneto-insieme")]
    assert jonathan and veneto and by_recipients
    italian, social = (
        order.lines.get(partner__code="jonathan").title,
        order.lines.get(partner__code="veneto-insieme").title,
    )
    for message in jonathan:
        assert order.number in message.subject
        assert italian in message.body and social not in message.body
        assert "Giovanni Bianchi" in message.body and "sabato" in message.body
    for message in veneto:
        assert social in message.body and italian not in message.body


def test_a_routed_line_is_announced_to_the_cooperative_that_serves_it(
    territories, django_capture_on_commit_callbacks
):
    basket = basket_with(territories["rho"], ["tutoring-online--1"], user=citizen())
    book(basket, territories["napoli"], beneficiary="relative", relationship="nonno")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        place(basket, user=citizen())
    recipients = {m.to[0] for m in mail.outbox}
    assert recipients == staff_emails("proodos")
    assert not recipients & staff_emails("stripes")


def test_nothing_is_sent_when_the_order_is_rolled_back(territories):
    basket = basket_with(territories["rho"], ["yoga-bambini-online"], user=citizen())
    book(basket, territories["rho"])
    mail.outbox.clear()
    place(basket, user=citizen())  # no commit in this test's transaction
    assert mail.outbox == []


def test_the_citizens_confirmation_lists_the_booking_in_italian(territories):
    """Oscar's ORDER_PLACED e-mail, as the checkout's placement sends it, with our templates."""
    basket = basket_with(territories["rho"], ["yoga-bambini-online"], user=citizen())
    book(basket, territories["rho"], name="Lucia Verdi", preferred_times="giovedì pomeriggio")
    order = place(basket, user=citizen())
    request = RequestFactory(HTTP_HOST="rho.localhost").get("/")
    request.user = citizen()
    mail.outbox.clear()
    with translation.override("it"):
        OrderDispatcher().send_order_placed_email_for_user(
            order, {"order": order, "lines": order.lines.all(), "request": request}
        )
        subject = gettext("Confirmation of order %(number)s") % {"number": order.number}
    [message] = mail.outbox
    assert message.to == [citizen().email]
    assert message.subject == subject
    for text in ("Yoga", "Lucia Verdi", "giovedì pomeriggio", "Stripes", "RhoWelfare"):
        assert text in message.body, text
    html = message.alternatives[0][0]
    assert 'lang="it"' in html and "Lucia Verdi" in html


def test_status_emails_use_the_language_the_citizen_booked_in(
    territories, django_capture_on_commit_callbacks
):
    basket = basket_with(territories["rho"], ["yoga-bambini-online"], user=citizen())
    book(basket, territories["rho"], language="en")
    order = place(basket, user=citizen())
    line = order.lines.get()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        line.set_status("accepted")
    [message] = mail.outbox
    assert "Accepted" in message.subject and order.number in message.subject


def test_the_confirmations_follow_your_order_link_opens_the_order_on_the_portals_host(
    territories,
):
    """The link keeps the portal's host and its port (:8000 in development) and opens the
    order for its owner; Oscar's ``absolute_url site.domain`` dropped the port."""
    import re
    from urllib.parse import urlsplit

    from django.test import Client

    basket = basket_with(territories["rho"], ["yoga-bambini-online"], user=citizen())
    book(basket, territories["rho"], name="Lucia Verdi")
    order = place(basket, user=citizen())
    request = RequestFactory(HTTP_HOST="rho.localhost:8000").get("/")
    request.user = citizen()
    mail.outbox.clear()
    with translation.override("it"):
        OrderDispatcher().send_order_placed_email_for_user(
            order,
            {
                "order": order,
                "lines": order.lines.all(),
                "request": request,
                "status_path": f"/shop/accounts/orders/{order.number}/",
            },
        )
    [message] = mail.outbox
    links = re.findall(r"https?://[^\s\"<>]+", message.body + message.alternatives[0][0])
    assert links
    for link in links:
        parts = urlsplit(link)
        assert parts.netloc == territories["rho"].site.root_url.split("//")[1], link
        client = Client(HTTP_HOST=parts.netloc)
        client.force_login(citizen())
        response = client.get(parts.path)
        assert response.status_code == 200, link
        assert order.number in response.text
