"""Two portals built side by side: each editor and each citizen sees only their own."""

import pytest
from django.test import Client
from django.utils.html import escape
from oscar.core.loading import get_model
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page

from portal.territories.models import PortalSettings
from tests.conftest import portal_client

pytestmark = pytest.mark.django_db
Basket = get_model("basket", "Basket")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")


@pytest.fixture
def sondrio_editor(territories):
    return territories["sondrio"].editors.user_set.order_by("pk").first()


@pytest.fixture
def editor_client(sondrio_editor) -> Client:
    client = portal_client("sondrio")
    client.force_login(sondrio_editor)
    return client


def rho_page(territories, slug="chi-siamo") -> Page:
    home = territories["rho"].site.root_page
    return Page.objects.get(slug=slug, path__startswith=home.path, depth=home.depth + 1)


def denied(response) -> bool:
    return response.status_code in (403, 404)


def test_editor_can_edit_own_pages(editor_client, territories):
    home = territories["sondrio"].site.root_page
    about = Page.objects.get(slug="chi-siamo", path__startswith=home.path, depth=home.depth + 1)
    assert editor_client.get(f"/admin/pages/{about.pk}/edit/").status_code == 200


@pytest.mark.parametrize(
    "method, url",
    [
        ("get", "/admin/pages/{pk}/edit/"),
        ("post", "/admin/pages/{pk}/edit/"),
        ("get", "/admin/pages/{pk}/delete/"),
        ("post", "/admin/pages/{pk}/delete/"),
        ("get", "/admin/pages/{pk}/move/"),
        ("get", "/admin/pages/{pk}/unpublish/"),
        ("get", "/admin/pages/add/content/standardpage/{pk}/"),
    ],
)
def test_editor_cannot_touch_another_portals_pages(editor_client, territories, method, url):
    page = rho_page(territories)
    data = (
        {"title": "Hacked", "slug": "hacked", "action-publish": "1"} if method == "post" else None
    )
    response = getattr(editor_client, method)(url.format(pk=page.pk), data)
    assert denied(response), response.status_code
    page.refresh_from_db()
    assert page.title == "Chi siamo" and page.live


def test_editor_cannot_publish_another_portals_page_through_the_workflow(
    editor_client, territories
):
    page = rho_page(territories)
    response = editor_client.post(
        f"/admin/pages/{page.pk}/edit/", {"title": "x", "slug": page.slug, "action-submit": "1"}
    )
    assert denied(response)
    assert not page.revisions.exists() or page.revisions.count() == 1


def test_explorer_shows_only_own_portal(editor_client, territories):
    html = editor_client.get("/admin/pages/", follow=True).content.decode()
    sondrio_home, rho_home = (territories[s].site.root_page_id for s in ("sondrio", "rho"))
    assert f"/admin/pages/{sondrio_home}/" in html
    assert f"/admin/pages/{rho_home}/" not in html
    assert denied(editor_client.get(f"/admin/pages/{rho_home}/"))


def test_editor_cannot_reach_another_portals_images_or_settings(editor_client, territories):
    image = Image.objects.create(
        title="Rho mercato", file=get_test_image_file(), collection=territories["rho"].collection
    )
    assert denied(editor_client.get(f"/admin/images/{image.pk}/"))
    assert denied(editor_client.post(f"/admin/images/{image.pk}/delete/"))
    assert Image.objects.filter(pk=image.pk).exists()
    listing = editor_client.get("/admin/images/").content.decode()
    assert "Rho mercato" not in listing

    own = editor_client.get(
        f"/admin/settings/territories/portalsettings/{territories['sondrio'].site_id}/"
    )
    assert own.status_code == 200
    other = editor_client.post(
        f"/admin/settings/territories/portalsettings/{territories['rho'].site_id}/",
        {"email": "x@x.it"},
    )
    assert denied(other)

    assert PortalSettings.objects.get(site=territories["rho"].site).email != "x@x.it"


def only_in(territories, slug: str, not_in: str) -> Product:
    """A service offered in ``slug`` and not in ``not_in``."""
    theirs = StockRecord.objects.filter(territory=territories[not_in]).values("product")
    product = (
        Product.objects.filter(stockrecords__territory=territories[slug])
        .exclude(pk__in=theirs)
        .first()
    )
    assert product is not None
    return product


def test_citizens_see_only_their_portals_services(territories):
    rho_only = only_in(territories, "rho", "sondrio")
    sondrio_only = only_in(territories, "sondrio", "rho")
    html = portal_client("sondrio").get("/shop/catalogue/").content.decode()
    assert escape(sondrio_only.title) in html
    assert escape(rho_only.title) not in html
    assert portal_client("sondrio").get(rho_only.get_absolute_url()).status_code == 404
    assert portal_client("rho").get(rho_only.get_absolute_url()).status_code == 200
    search = portal_client("sondrio").get("/shop/search/", {"q": rho_only.title}).content.decode()
    assert rho_only.get_absolute_url() not in search


def test_the_same_service_has_each_portals_price(territories):
    shared = (
        Product.objects.filter(stockrecords__territory=territories["sondrio"])
        .filter(stockrecords__territory=territories["rho"])
        .first()
    )
    assert shared is not None
    prices = {
        slug: StockRecord.objects.get(product=shared, territory=territories[slug]).price
        for slug in ("sondrio", "rho")
    }
    StockRecord.objects.filter(product=shared, territory=territories["rho"]).update(
        price=prices["sondrio"] + 7
    )
    sondrio_html = portal_client("sondrio").get(shared.get_absolute_url()).content.decode()
    rho_html = portal_client("rho").get(shared.get_absolute_url()).content.decode()
    euro = lambda d: f"{d:.2f}".replace(".", ",")  # noqa: E731
    assert (
        euro(prices["sondrio"]) in sondrio_html and euro(prices["sondrio"] + 7) not in sondrio_html
    )
    assert euro(prices["sondrio"] + 7) in rho_html


def test_a_signed_in_citizens_basket_stays_on_its_portal(territories, django_user_model):
    citizen = django_user_model.objects.create_user("maria", "maria@example.it", "pw")
    product = StockRecord.objects.filter(territory=territories["sondrio"]).first().product
    sondrio, rho = portal_client("sondrio"), portal_client("rho")
    sondrio.force_login(citizen)
    rho.force_login(citizen)

    response = sondrio.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1})
    assert response.status_code == 302

    assert Basket.objects.get(owner=citizen, territory=territories["sondrio"]).num_lines == 1
    rho_basket = rho.get("/shop/basket/")
    assert rho_basket.status_code == 200
    assert escape(product.title) not in rho_basket.content.decode()
    assert escape(product.title) in sondrio.get("/shop/basket/").content.decode()
    assert not Basket.objects.filter(
        owner=citizen, territory=territories["rho"], lines__isnull=False
    ).exists()


def test_an_anonymous_basket_cookie_does_not_open_on_another_portal(territories):
    product = StockRecord.objects.filter(territory=territories["sondrio"]).first().product
    sondrio = portal_client("sondrio")
    sondrio.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1})
    cookie = sondrio.cookies["oscar_open_basket"].value
    rho = portal_client("rho")
    rho.cookies["oscar_open_basket"] = cookie
    assert escape(product.title) not in rho.get("/shop/basket/").content.decode()


def test_cannot_add_another_portals_service_to_the_basket(territories):
    rho_only = only_in(territories, "rho", "sondrio")
    client = portal_client("sondrio")
    client.post(f"/shop/basket/add/{rho_only.pk}/", {"quantity": 1})
    assert escape(rho_only.title) not in client.get("/shop/basket/").content.decode()
    assert not Basket.objects.filter(lines__product=rho_only).exists()


def _selected_collection(html: str) -> str | None:
    import re

    match = re.search(r'<select[^>]*name="collection"[^>]*>(.*?)</select>', html, re.S)
    assert match, "no collection select"
    chosen = re.search(r'<option value="(\d+)"\s*selected', match.group(1))
    return chosen.group(1) if chosen else None


@pytest.mark.parametrize(
    "url",
    [
        "/admin/images/add/",
        "/admin/documents/add/",
        "/admin/images/multiple/add/",
        "/admin/documents/multiple/add/",
    ],
)
def test_a_new_upload_starts_in_the_portals_own_collection(territories, django_user_model, url):
    """In Sondrio's admin a new image or document is filed in Sondrio's collection, not in
    the first collection alphabetically (another portal's), for whoever edits several."""
    admin = django_user_model.objects.create_superuser("root", "root@example.it", "pw")
    for slug in ("sondrio", "napoli"):
        client = portal_client(slug)
        client.force_login(admin)
        html = client.get(url).content.decode()
        assert _selected_collection(html) == str(territories[slug].collection_id), slug


def test_a_moderator_of_two_portals_uploads_into_the_one_whose_admin_is_open(
    territories, django_user_model
):
    both = django_user_model.objects.create_user("due", "due@example.it", "pw")
    both.groups.add(territories["sondrio"].moderators, territories["rho"].moderators)
    client = portal_client("rho")
    client.force_login(both)
    html = client.get("/admin/images/add/").content.decode()
    assert _selected_collection(html) == str(territories["rho"].collection_id)
    assert f'value="{territories["napoli"].collection_id}"' not in html


@pytest.mark.parametrize(
    "url",
    [
        "/admin/images/",
        "/admin/images/chooser/",
        "/admin/documents/chooser/",
        "/admin/documents/",
        "/admin/images/multiple/add/",
    ],
)
def test_editors_see_only_their_portals_collection(editor_client, territories, url):
    import re

    html = editor_client.get(url).content.decode()
    options = re.findall(r"<option[^>]*>\s*([^<]+?)\s*</option>", html.replace("\\n", ""))
    others = {t.collection.name for slug, t in territories.items() if slug != "sondrio"}
    assert not others & set(options)


def test_a_portals_document_is_served_on_its_own_host_only(territories, tmp_path, settings):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    settings.MEDIA_ROOT = tmp_path
    document = get_document_model().objects.create(
        title="Bando Sondrio",
        file=ContentFile(b"bando", name="bando.txt"),
        collection=territories["sondrio"].collection,
    )
    url = document.url
    assert portal_client("sondrio").get(url).status_code == 200
    assert portal_client("napoli").get(url).status_code == 404


def test_an_unclassified_admin_view_is_closed_to_editors_and_off_their_menu(editor_client):
    """Default deny: the site history report (no territory scope) answers 404 to an editor,
    and the admin's menus do not offer it; the editor's own work is still on the menu."""
    assert denied(editor_client.get("/admin/reports/site-history/"))
    assert denied(editor_client.get("/admin/users/"))
    home = editor_client.get("/admin/")
    assert home.status_code == 200
    html = home.content.decode()
    assert "/admin/reports/site-history/" not in html and "/admin/users/" not in html
    assert "/admin/images/" in html and "/admin/documents/" in html


def test_another_portals_editor_cannot_translate_its_pages(territories):
    """Napoli's editor posting "Translate" on a Sondrio page makes no page in Sondrio's trees."""
    page = rho_page(territories)
    napoli = portal_client("napoli")
    napoli.force_login(territories["napoli"].editors.user_set.order_by("pk").first())
    from wagtail.models import Locale

    before = Page.objects.count()
    response = napoli.post(
        f"/admin/localize/submit/page/{page.pk}/",
        {"locales": [Locale.objects.get(language_code="de").pk]},
    )
    assert denied(response)
    assert Page.objects.count() == before


def test_tag_autocomplete_offers_only_the_portals_own_tags(editor_client, territories):
    from tests.editorial import add_article, news_index

    own = add_article(news_index(territories["sondrio"]), "Notizia")
    own.tags.add("montagna-sondrio")
    own.save()
    theirs = add_article(news_index(territories["rho"]), "Notizia Rho")
    theirs.tags.add("mostra-rho-segreta")
    theirs.save()
    assert editor_client.get("/admin/tag-autocomplete/", {"term": "mo"}).json() == [
        "montagna-sondrio"
    ]


@pytest.mark.parametrize(
    "url", ["/admin/images/chooser/results/", "/admin/documents/chooser/results/"]
)
def test_editors_search_their_media_in_the_choosers(editor_client, territories, url):
    from tests.editorial import small_image

    small_image("Mercato di Sondrio", collection=territories["sondrio"].collection)
    small_image("Mercato di Rho", collection=territories["rho"].collection)
    response = editor_client.get(url, {"q": "Mercato"})
    assert response.status_code == 200
    if "images" in url:
        html = response.content.decode()
        assert "Mercato di Sondrio" in html and "Mercato di Rho" not in html


@pytest.mark.parametrize("url", ["/admin/images/", "/admin/images/chooser/"])
def test_media_tag_filters_offer_only_the_portals_own_tags(editor_client, territories, url):
    from tests.editorial import small_image

    small_image("Sondrio", collection=territories["sondrio"].collection).tags.add("valtellina")
    small_image("Rho", collection=territories["rho"].collection).tags.add("fiera-rho-segreta")
    html = editor_client.get(url).content.decode()
    assert "valtellina" in html and "fiera-rho-segreta" not in html
