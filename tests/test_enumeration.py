"""Issue 10, no account enumeration: the other forms that take an e-mail answer the same for
an address with an account and one without (registration, the profile's e-mail, the
checkout gateway and webinars have their own tests: test_registration, test_email_change,
test_webinars)."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.test_registration import client_for, host_of, visible_text

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_password_reset_answers_the_same_for_a_known_and_an_unknown_address(territories, prefix):
    User.objects.create_user(username="lucia", email="lucia@example.it", password="x")
    sondrio = territories["sondrio"]
    mail.outbox.clear()
    answers = {}
    for email in ("nessuno@example.it", "lucia@example.it"):
        response = client_for(sondrio).post(
            f"{prefix}/shop/password-reset/", {"email": email}, follow=True
        )
        assert response.status_code == 200
        answers[email] = (response.redirect_chain, visible_text(response, email))
    assert answers["nessuno@example.it"] == answers["lucia@example.it"]
    [(done_url, status)] = answers["lucia@example.it"][0]
    assert status == 302 and done_url == f"{prefix}/shop/password-reset/done/"
    # only the account's owner gets an e-mail, with a link on the portal's host
    [message] = mail.outbox
    assert message.to == ["lucia@example.it"]
    [link] = re.findall(r"https?://\S+/password-reset/confirm/\S+", message.body)
    assert urlsplit(link).netloc == host_of(sondrio)


def test_a_stock_alert_answers_the_same_for_an_address_that_already_has_one(territories):
    from oscar.core.loading import get_model

    from shop.catalogue.scoping import offered_in

    ProductAlert = get_model("customer", "ProductAlert")
    sondrio = territories["sondrio"]
    product = offered_in(sondrio).order_by("pk").first()
    ProductAlert.objects.create(product=product, email="lucia@example.it", status="Active")
    ProductAlert.objects.create(product=product, email="anna@example.it", status="Unconfirmed")
    mail.outbox.clear()
    answers = {}
    for email in ("nessuno@example.it", "lucia@example.it", "anna@example.it"):
        response = client_for(sondrio).post(
            reverse("customer:alert-create", args=[product.pk]), {"email": email}, follow=True
        )
        assert response.status_code == 200
        page = visible_text(response, email)
        assert "ADDRESS" in page  # the message names the address typed
        answers[email] = (response.redirect_chain, page)
    assert answers["nessuno@example.it"] == answers["lucia@example.it"]
    assert answers["nessuno@example.it"] == answers["anna@example.it"]
    assert "already" not in answers["lucia@example.it"][1]
    assert "già" not in answers["lucia@example.it"][1]
    # one new alert and one e-mail, for the new address only
    assert [m.to for m in mail.outbox] == [["nessuno@example.it"]]
    assert (
        ProductAlert.objects.filter(product=product, email__iexact="lucia@example.it").count() == 1
    )
    assert ProductAlert.objects.filter(email__iexact="anna@example.it").count() == 1


def test_the_contact_form_and_a_gift_vouchers_recipient_answer_the_same(territories):
    """Neither looks an address up today (verified, not fixed): these keep it so."""
    from oscar.core.loading import get_model

    from shop.giftcards import products
    from tests.editorial import add_form_page
    from tests.test_forms import ANSWER, contacts_page, path_of

    User.objects.create_user(username="lucia", email="lucia@example.it", password="x")
    sondrio = territories["sondrio"]
    page = add_form_page(contacts_page(sondrio))
    voucher = get_model("catalogue", "Product").objects.get(upc="buono-regalo-sondrio")
    answers = {}
    for email in ("nessuno@example.it", "lucia@example.it"):
        contact = client_for(sondrio).post(path_of(page), {**ANSWER, "email": email, "website": ""})
        basket = client_for(sondrio).post(
            f"/shop/basket/add/{voucher.pk}/",
            {
                "quantity": 1,
                products.AMOUNT: "50.00",
                products.RECIPIENT_NAME: "Giulia Rossi",
                products.RECIPIENT_EMAIL: email,
                products.SEND_ON: "2099-01-01",
                products.MESSAGE: "Auguri",
            },
            follow=True,
        )
        assert contact.status_code == basket.status_code == 200
        assert "Grazie, ti risponderemo presto." in contact.content.decode()
        assert basket.redirect_chain, basket.content.decode()[:2000]  # added, not refused
        answers[email] = (
            visible_text(contact, email),
            basket.redirect_chain,
            re.sub(r"csrftoken|basket-\d+", "", visible_text(basket, email)),
        )
    assert answers["nessuno@example.it"] == answers["lucia@example.it"]
