"""A portal's "Storico e-mail" and notifications show what that portal sent, nothing else:
an e-mail Sondrio sent is not listed in Napoli, and opening it there is a 404."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from oscar.core.loading import get_class, get_model

from tests.conftest import portal_client
from tests.orders_support import basket_with, book, citizen, place

pytestmark = pytest.mark.django_db
Email = get_model("communication", "Email")
Notification = get_model("communication", "Notification")
Dispatcher = get_class("communication.utils", "Dispatcher")
OrderDispatcher = get_class("order.utils", "OrderDispatcher")


def lucia():
    return get_user_model().objects.create_user(
        username="lucia@example.it", email="lucia@example.it", password="vecchia-password-1"
    )


def reset_password_on(slug: str) -> None:
    """Ask for a password reset on ``slug``'s portal: Oscar records the e-mail it sends."""
    response = portal_client(slug).post(reverse("password-reset"), {"email": "lucia@example.it"})
    assert response.status_code == 302


def test_an_email_sent_by_sondrio_is_listed_and_opens_in_sondrio_only(territories):
    user = lucia()
    mail.outbox.clear()
    reset_password_on("sondrio")
    [email] = Email.objects.filter(user=user)
    assert email.territory == territories["sondrio"]

    napoli = portal_client("napoli")
    napoli.force_login(user)
    listing = napoli.get(reverse("customer:email-list"))
    assert listing.status_code == 200
    assert email.subject not in listing.text
    assert napoli.get(reverse("customer:email-detail", args=[email.pk])).status_code == 404

    sondrio = portal_client("sondrio")
    sondrio.force_login(user)
    assert email.subject in sondrio.get(reverse("customer:email-list")).text
    opened = sondrio.get(reverse("customer:email-detail", args=[email.pk]))
    assert opened.status_code == 200
    assert email.subject in opened.text


def test_the_order_confirmation_is_recorded_on_the_orders_portal(territories):
    """The confirmation of a Rho order, sent with a request of another host (the webhook's
    rebuilt one may lack the portal), belongs to Rho: the order says so."""
    from django.test import RequestFactory

    basket = basket_with(territories["rho"], ["yoga-bambini-online"], user=citizen())
    book(basket, territories["rho"])
    order = place(basket, user=citizen())
    request = RequestFactory(HTTP_HOST="localhost").get("/")
    request.user = citizen()
    OrderDispatcher().send_order_placed_email_for_user(
        order, {"order": order, "lines": order.lines.all(), "request": request}
    )
    email = Email.objects.get(user=citizen(), subject__contains=order.number)
    assert email.territory == territories["rho"]

    rho, napoli = portal_client("rho"), portal_client("napoli")
    rho.force_login(citizen())
    napoli.force_login(citizen())
    assert order.number in rho.get(reverse("customer:email-list")).text
    assert order.number not in napoli.get(reverse("customer:email-list")).text
    # the account links to the portal that has the e-mail
    assert territories["rho"].site.root_url in napoli.get(reverse("customer:email-list")).text


def test_an_old_email_of_no_portal_is_listed_on_none(territories):
    user = lucia()
    old = Email.objects.create(
        user=user, email=user.email, subject="Vecchio messaggio", body_text="."
    )
    for slug in ("sondrio", "napoli"):
        client = portal_client(slug)
        client.force_login(user)
        assert "Vecchio messaggio" not in client.get(reverse("customer:email-list")).text
        assert client.get(reverse("customer:email-detail", args=[old.pk])).status_code == 404


def test_notifications_are_shown_counted_and_changed_on_their_portal_only(territories):
    user = lucia()
    Dispatcher().notify_user(user, "Avviso di Sondrio", body="…", territory=territories["sondrio"])
    note = Notification.objects.get(recipient=user)

    napoli = portal_client("napoli")
    napoli.force_login(user)
    inbox = napoli.get(reverse("customer:notifications-inbox"))
    assert "Avviso di Sondrio" not in inbox.text
    assert inbox.context["num_unread_notifications"] == 0
    assert napoli.get(reverse("customer:notifications-detail", args=[note.pk])).status_code == 404
    napoli.post(
        reverse("customer:notifications-update"),
        {"action": "delete", "selected_notification": [note.pk]},
    )
    assert Notification.objects.filter(pk=note.pk).exists()
    note.refresh_from_db()
    assert note.date_read is None

    sondrio = portal_client("sondrio")
    sondrio.force_login(user)
    inbox = sondrio.get(reverse("customer:notifications-inbox"))
    assert "Avviso di Sondrio" in inbox.text
    assert inbox.context["num_unread_notifications"] == 1
    assert sondrio.get(reverse("customer:notifications-detail", args=[note.pk])).status_code == 200


def test_a_status_change_email_is_in_the_history_of_the_orders_portal(
    territories, django_capture_on_commit_callbacks
):
    basket = basket_with(territories["rho"], ["yoga-bambini-online"], user=citizen())
    book(basket, territories["rho"])
    order = place(basket, user=citizen())
    with django_capture_on_commit_callbacks(execute=True):
        order.lines.get().set_status("accepted")
    [email] = Email.objects.filter(user=citizen(), subject__contains="Accettato")
    assert email.territory == territories["rho"]
    rho, napoli = portal_client("rho"), portal_client("napoli")
    rho.force_login(citizen())
    napoli.force_login(citizen())
    assert email.subject in rho.get(reverse("customer:email-list")).text
    assert email.subject not in napoli.get(reverse("customer:email-list")).text


def test_old_emails_are_assigned_to_the_portal_their_links_or_order_name(territories):
    """Migration 0006: a row from before the field goes to the one portal it names."""
    import importlib

    from django.apps import apps

    assign = importlib.import_module(
        "shop.communication.migrations.0006_assign_old_rows_to_portals"
    ).assign
    user = lucia()
    basket = basket_with(territories["rho"], ["yoga-bambini-online"], user=citizen())
    book(basket, territories["rho"])
    order = place(basket, user=citizen())
    by_link = Email.objects.create(
        user=user, subject="Reimposta", body_text="http://sondrio.localhost/shop/x/"
    )
    by_order = Email.objects.create(
        user=user, subject=f"Conferma dell'ordine {order.number}", body_text="Grazie"
    )
    two_portals = Email.objects.create(
        user=user,
        subject="Due",
        body_text="http://sondrio.localhost/ http://napoli.localhost/",
    )
    nothing = Email.objects.create(user=user, subject="Nulla", body_text="Ciao")
    assign(apps, None)
    territory = {e.pk: e.territory for e in Email.objects.filter(user=user)}
    assert territory[by_link.pk] == territories["sondrio"]
    assert territory[by_order.pk] == territories["rho"]
    assert territory[two_portals.pk] is None and territory[nothing.pk] is None
