"""A gift voucher reads as a person expects: the send date arrives in the date input in
every language (ISO, which is all a date input takes), the basket and order lines say what
was bought (no "Importo = '50.00'" dump), and the e-mail's subject is plain text."""

import re

import pytest
from django.core import mail
from django.utils import timezone, translation

from shop.giftcards.delivery import send_due
from tests.conftest import portal_client
from tests.test_giftcards import add_voucher, place_order, voucher_product

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["it", "en", "de"])
def test_the_send_date_input_carries_an_iso_date_in_every_language(territories, language):
    product = voucher_product("sondrio")
    with translation.override(language):
        url = product.get_absolute_url()
    page = portal_client("sondrio").get(url).content.decode()
    inputs = re.findall(r'<input type="date"[^>]*>', page)
    assert inputs, page[:500]
    for tag in inputs:
        assert f'value="{timezone.localdate().isoformat()}"' in tag, tag


def test_a_voucher_line_reads_as_what_was_bought(territories):
    client = portal_client("sondrio")
    add_voucher(client, voucher_product("sondrio"), giftcard_from="Mario Rossi")
    page = client.get("/shop/basket/").content.decode()
    assert "= &#x27;" not in page and "= '" not in page
    assert "50,00 € per Giulia Rossi (giulia@example.it)" in page
    assert "Da parte di: Mario Rossi" in page


def test_an_order_line_reads_as_what_was_bought(territories):
    order = place_order(territories["sondrio"], voucher_product("sondrio"), giftcard_from="Ada")
    description = order.lines.get().description
    assert "= '" not in description
    assert "50,00 € per Giulia Rossi (giulia@example.it)" in description
    assert "Da parte di: Ada" in description


def test_the_voucher_emails_subject_is_not_html_escaped(
    territories, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        place_order(territories["sondrio"], voucher_product("sondrio"), giftcard_from="Dell'Acqua")
    send_due()
    subjects = [m.subject for m in mail.outbox if "giulia@example.it" in m.to]
    assert subjects and all("Dell'Acqua" in s and "&#x27;" not in s for s in subjects), subjects


def test_the_cooperatives_new_order_email_does_not_ask_to_schedule_a_voucher(
    territories, django_capture_on_commit_callbacks
):
    from shop.order.emails import send_cooperative_emails

    order = place_order(territories["sondrio"], voucher_product("sondrio"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = send_cooperative_emails(order)
    bodies = [m.body for m in mail.outbox]
    assert sent >= 1 and bodies
    for body in bodies:
        assert "programmarli" not in body and "accettarli" not in body
        assert "non c'è nulla da accettare né da programmare" in body
        assert "50,00 € per Giulia Rossi" in body
