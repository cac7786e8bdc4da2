"""Reading tips: ISBN checks, pages on every theme, reservations that reach the territory's
bookshop (by e-mail and in its admin list only), and the gift voucher link."""

import uuid

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from portal.bookshop.isbn import normalise_isbn
from portal.bookshop.models import Bookshop, ReadingTipPage, Reservation
from portal.bookshop.vouchers import gift_voucher_for
from portal.content.models import ReadingTipIndexPage

from .conftest import portal_client

ISBN = "978-0-06-440055-8"  # Charlotte's Web, HarperCollins


def add_tip(territory, title="Charlotte's Web", isbn=ISBN):
    index = ReadingTipIndexPage.objects.child_of(territory.site.root_page).get()
    page = ReadingTipPage(
        title=title,
        slug=slugify(title),
        book_title=title,
        author="E. B. White",
        publisher="HarperCollins",
        isbn=normalise_isbn(isbn),
        age_range="6-10",
        intro="<p>Un'amicizia in fattoria.</p>",
        body=[("paragraph", "<p>La nostra recensione, scritta in libreria.</p>")],
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def reserve(client, page, key=None, **overrides):
    data = {
        "name": "Anna Rossi",
        "email": "anna@example.it",
        "phone": "+39 333 0000000",
        "notes": "Lo ritiro sabato",
        "consent": "on",
        "key": str(key or uuid.uuid4()),
        **overrides,
    }
    return client.post(page.url, data)


# --- ISBN --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, digits",
    [
        ("9780064400558", "9780064400558"),
        ("978-0-06-440055-8", "9780064400558"),
        ("978 0 399 22690 8", "9780399226908"),
        ("0-06-025492-0", "9780060254926"),  # an ISBN-10 is converted to its ISBN-13
    ],
)
def test_valid_isbns_are_stored_as_13_digits(value, digits):
    assert normalise_isbn(value) == digits


@pytest.mark.parametrize(
    "value, code",
    [
        ("978-0-06-440055-7", "isbn_checksum"),  # last digit off by one
        ("0-06-025492-1", "isbn_checksum"),  # ISBN-10 with a wrong check digit
        ("978-0-06-44005", "isbn_length"),
        ("97800644005581", "isbn_length"),
        ("978-0-06-44005X-8", "isbn_length"),
        ("", "isbn_length"),
        ("9770064400551", "isbn_prefix"),  # 13 digits, but an ISSN-like prefix
    ],
)
def test_invalid_isbns_are_refused_with_a_reason(value, code):
    with pytest.raises(ValidationError) as error:
        normalise_isbn(value)
    assert error.value.code == code
    assert str(error.value.messages[0])  # a sentence for the editor, not an exception name


def test_the_page_refuses_a_bad_isbn(territories):
    page = ReadingTipPage(title="X", slug="x", book_title="X", author="Y", isbn="978-0-06-440055-7")
    with pytest.raises(ValidationError) as error:
        page.clean_fields(exclude=["path", "depth", "locale", "translation_key"])
    assert "isbn" in error.value.message_dict


# --- pages -------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["sondrio", "rho"])  # italia and borgo
def test_reading_tip_renders_on_each_theme(territories, slug):
    page = add_tip(territories[slug])
    response = portal_client(slug).get(page.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "E. B. White" in html and "978-0064400558" in html
    assert "La nostra recensione" in html
    index = ReadingTipIndexPage.objects.child_of(territories[slug].site.root_page).get()
    assert "Charlotte" in portal_client(slug).get(index.url).content.decode()


def test_sondrio_tip_has_the_reservation_form_and_voucher_link(territories):
    page = add_tip(territories["sondrio"])
    html = portal_client("sondrio").get(page.url).content.decode()
    assert 'name="key"' in html and 'name="consent"' in html and "csrfmiddlewaretoken" in html
    assert "Tiralistori" in html
    bookshop = territories["sondrio"].bookshop.partner
    voucher = gift_voucher_for(territories["sondrio"], bookshop)
    if voucher is None:  # no gift voucher on sale: the link goes to the catalogue
        assert 'href="/shop/catalogue/"' in html
    else:  # the voucher spendable at the bookshop comes first
        assert voucher.voucher.cooperative == bookshop
        assert f'href="{voucher.get_absolute_url()}"' in html


def test_a_signed_in_reader_finds_their_name_and_e_mail_filled_in(territories):
    from tests.orders_support import citizen

    page = add_tip(territories["sondrio"])
    reader = citizen("lucia.neri@example.it")
    reader.first_name, reader.last_name = "Lucia", "Neri"
    reader.save()
    client = portal_client("sondrio")
    client.force_login(reader)
    html = client.get(page.url).content.decode()
    assert 'value="Lucia Neri"' in html and 'value="lucia.neri@example.it"' in html
    anonymous = portal_client("sondrio").get(page.url).content.decode()
    assert "lucia.neri@example.it" not in anonymous  # the page cache keeps no one's details


def test_portal_without_bookshop_shows_no_form(territories):
    page = add_tip(territories["rho"])
    client = portal_client("rho")
    html = client.get(page.url).content.decode()
    assert 'name="consent"' not in html
    assert reserve(client, page).status_code == 405
    assert Reservation.objects.count() == 0


# --- reservations ------------------------------------------------------------------------


def test_reservation_reaches_the_bookshop_of_the_territory(territories):
    page = add_tip(territories["sondrio"])
    client = portal_client("sondrio")
    response = reserve(client, page)
    assert response.status_code == 302
    after = client.get(page.url).content.decode()
    assert "Tiralistori" in after  # the thank-you message
    # not the empty form again under it (it invited a second reservation), a link instead
    assert 'name="consent"' not in after and "Prenota un'altra copia" in after
    assert 'name="consent"' in client.get(page.url).content.decode()  # the next visit: the form
    (reservation,) = Reservation.objects.all()
    assert reservation.bookshop.code == "tiralistori"
    assert reservation.territory.slug == "sondrio"
    assert (reservation.status, reservation.isbn) == ("new", "9780064400558")
    (message,) = [m for m in mail.outbox if "anna@example.it" not in m.to]
    assert message.to == ["libreria@tiralistori.example"]  # the bookshop, not Forme
    assert message.reply_to == ["anna@example.it"]
    assert "Charlotte's Web" in message.body and "+39 333 0000000" in message.body


def test_double_submit_makes_one_reservation(territories):
    page = add_tip(territories["sondrio"])
    client = portal_client("sondrio")
    key = uuid.uuid4()
    assert reserve(client, page, key).status_code == 302
    assert reserve(client, page, key).status_code == 302
    assert Reservation.objects.count() == 1
    assert len(mail.outbox) == 2  # the bookshop's and the reader's, once


def test_bad_reservation_changes_nothing(territories):
    page = add_tip(territories["sondrio"])
    response = reserve(portal_client("sondrio"), page, email="nope", consent="")
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert Reservation.objects.count() == 0 and mail.outbox == []


def test_reservations_in_the_admin_for_own_territory_only(territories):
    page = add_tip(territories["sondrio"])
    reserve(portal_client("sondrio"), page)
    reservation = Reservation.objects.get()
    url = "/admin/snippets/bookshop/reservation/"

    bookseller = portal_client("sondrio")
    bookseller.force_login(
        territories["sondrio"].editors.user_set.get(email="libreria@tiralistori.example")
    )
    listing = bookseller.get(url)
    assert listing.status_code == 200
    assert "Anna Rossi" in listing.content.decode()
    edit = bookseller.post(
        f"{url}edit/{reservation.pk}/", {"status": "ready", "notes": reservation.notes}
    )
    assert edit.status_code == 302
    reservation.refresh_from_db()
    assert reservation.status == "ready"

    outsider = portal_client("rho")
    outsider.force_login(territories["rho"].editors.user_set.first())
    listing = outsider.get(url)
    assert listing.status_code == 200
    assert "Anna Rossi" not in listing.content.decode()
    assert outsider.get(f"{url}edit/{reservation.pk}/").status_code in (403, 404)
    assert outsider.post(f"{url}edit/{reservation.pk}/", {"status": "cancelled"}).status_code in (
        403,
        404,
    )
    reservation.refresh_from_db()
    assert reservation.status == "ready"


# --- the spec's bookshop key -------------------------------------------------------------


@pytest.mark.parametrize(
    "extra, message",
    [
        ('bookshop = "yes"', "cooperatives[0].bookshop: must be true or false"),
        ("bookshop = true", "cooperatives[1].bookshop: only one cooperative can be the bookshop"),
    ],
)
def test_spec_bookshop_key_is_checked(tmp_path, extra, message):
    from portal.territories.spec import load_all

    from .test_spec_check import VALID, write_spec

    first = VALID.replace('editors = ["redazione@lario.example"]', f"editors = []\n{extra}", 1)
    second = '\n[[cooperatives]]\nslug = "libri"\nlegal_name = "Libri Coop"\n'
    second += 'vat_number = "01234567897"\nbookshop = true\n'
    text = first if "yes" in extra else first.replace("[[services]]", second + "\n[[services]]", 1)
    _specs, errors = load_all([str(write_spec(tmp_path, text))])
    assert any(message in str(e) for e in errors), errors


def test_sondrio_spec_names_tiralistori_as_its_bookshop(territories):
    assert territories["sondrio"].bookshop.partner.code == "tiralistori"
    assert not Bookshop.objects.filter(territory=territories["rho"]).exists()


def test_the_reader_hears_on_booking_and_when_the_book_is_ready(territories):
    page = add_tip(territories["sondrio"])
    reserve(portal_client("sondrio"), page)
    (booked,) = [m for m in mail.outbox if m.to == ["anna@example.it"]]
    assert "Charlotte's Web" in booked.subject
    assert "Tiralistori" in booked.body and "ti scriverà quando il libro sarà pronto" in booked.body
    assert booked.reply_to == ["libreria@tiralistori.example"]
    assert "http://sondrio.localhost" in booked.body

    reservation = Reservation.objects.get()
    bookseller = portal_client("sondrio")
    bookseller.force_login(
        territories["sondrio"].editors.user_set.get(email="libreria@tiralistori.example")
    )
    url = f"/admin/snippets/bookshop/reservation/edit/{reservation.pk}/"
    mail.outbox.clear()
    assert bookseller.post(url, {"status": "confirmed", "notes": ""}).status_code == 302
    assert mail.outbox == []  # confirmed: nothing new for the reader yet
    assert bookseller.post(url, {"status": "ready", "notes": ""}).status_code == 302
    (ready,) = mail.outbox
    assert ready.to == ["anna@example.it"]
    assert "pronto per il ritiro" in ready.subject and "Tiralistori" in ready.body
    assert bookseller.post(url, {"status": "ready", "notes": "scaffale 3"}).status_code == 302
    assert len(mail.outbox) == 1  # saved again while ready: not told twice
