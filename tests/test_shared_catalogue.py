"""The shared catalogue is the platform's: cooperatives change their own offers only.

Every dashboard URL of the catalogue and its siblings (offers, ranges, vouchers, partners…)
is opened by a cooperative's staff with another cooperative's ids: each is scoped or denied.
"""

import json
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import reverse
from oscar.core.loading import get_model

from shop.dashboard.catalogue.access import catalogue_managers_group
from tests.conftest import portal_client
from tests.test_cooperative_dashboard import dashboard, staff_of

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")
Partner = get_model("partner", "Partner")


def shared_service(code: str = "stripes"):
    """A standalone service that ``code`` offers and other cooperatives offer too."""
    for product in Product.objects.filter(
        structure="standalone", stockrecords__partner__code=code
    ).distinct():
        if product.stockrecords.exclude(partner__code=code).exists():
            return product
    raise AssertionError("the specs have no shared standalone service")


def not_offered_by(code: str):
    return (
        Product.objects.filter(structure="standalone", product_class__slug="servizio")
        .exclude(stockrecords__partner__code=code)
        .first()
    )


def manager():
    User = get_user_model()
    user = User.objects.create_user(
        username="catalogo@example.it", email="catalogo@example.it", password="x"
    )
    user.groups.add(catalogue_managers_group()[0])
    return user


def posted(response) -> dict:
    """The product page's forms as the browser would send them back, unchanged."""
    context = response.context
    data = {}
    forms = [context["form"]]
    for name in ("category_formset", "image_formset", "recommended_formset", "stockrecord_formset"):
        formset = context[name]
        forms += list(formset)
        management = formset.management_form
        for field in management:
            data[field.html_name] = field.value()
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            data[field.html_name] = [str(v) for v in value] if isinstance(value, list) else value
    return data


def product_url(product) -> str:
    return reverse("dashboard:catalogue-product", kwargs={"pk": product.pk})


def test_a_cooperative_changes_its_offer_but_not_the_shared_service():
    product = shared_service()
    title, description = product.title, product.description
    others = {s.pk: s.price for s in product.stockrecords.exclude(partner__code="stripes")}
    client = dashboard(staff_of("stripes"))
    page = client.get(product_url(product))
    assert page.status_code == 200
    assert "shared catalogue" in page.content.decode() or "catalogo condiviso" in (
        page.content.decode()
    )
    data = posted(page)
    data["title"] = "Rubato"
    data["description"] = "<p>Riscritto da Stripes</p>"
    offers = page.context["stockrecord_formset"]
    assert len(offers.forms) == product.stockrecords.filter(partner__code="stripes").count()
    prefix = offers.forms[0].prefix
    data[f"{prefix}-price"] = "99.00"
    data[f"{prefix}-notes"] = "Portate un tappetino."
    data.pop(f"{prefix}-available", None)  # untick: no orders for now
    response = client.post(product_url(product), data)
    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.title, product.description) == (title, description)
    own = StockRecord.objects.get(pk=offers.forms[0].instance.pk)
    assert (own.price, own.notes, own.available) == (
        Decimal("99.00"),
        "Portate un tappetino.",
        False,
    )
    # the other cooperatives' offers are untouched
    for pk, price in others.items():
        assert StockRecord.objects.get(pk=pk).price == price


def test_a_cooperative_cannot_move_its_offer_to_another_partner_or_territory(territories):
    product = shared_service()
    client = dashboard(staff_of("stripes"))
    page = client.get(product_url(product))
    data = posted(page)
    prefix = page.context["stockrecord_formset"].forms[0].prefix
    data[f"{prefix}-partner"] = str(Partner.objects.get(code="forme").pk)
    data[f"{prefix}-territory"] = str(territories["sondrio"].pk)
    data[f"{prefix}-partner_sku"] = "stolen"
    client.post(product_url(product), data)
    own = StockRecord.objects.get(pk=page.context["stockrecord_formset"].forms[0].instance.pk)
    assert own.partner.code == "stripes" and own.territory.slug == "rho"
    assert own.partner_sku != "stolen"


def test_a_cooperative_cannot_delete_create_or_hide_a_shared_service():
    product = shared_service()
    client = dashboard(staff_of("stripes"))
    delete = reverse("dashboard:catalogue-product-delete", kwargs={"pk": product.pk})
    assert client.get(delete).status_code in (302, 403)
    assert client.post(delete).status_code in (302, 403)
    assert Product.objects.filter(pk=product.pk).exists()
    create = reverse("dashboard:catalogue-product-create", args=["servizio"])
    count = Product.objects.count()
    assert client.post(create, {"title": "Nuovo"}).status_code in (302, 403)
    child = reverse("dashboard:catalogue-product-create-child", kwargs={"parent_pk": product.pk})
    assert client.post(child, {"title": "Variante"}).status_code in (302, 403)
    assert Product.objects.count() == count
    # the list offers only the bulk price update; making a service non-public is refused
    listing = client.get(reverse("dashboard:catalogue-product-list"))
    assert set(listing.context["actions"]) == {"set_product_price"}
    client.post(
        reverse("dashboard:catalogue-product-list"),
        {"action": "make_products_non_public", "selected_product": [product.pk]},
    )
    client.post(reverse("dashboard:catalogue-product-bulk-action"), {"confirm": "on"})
    product.refresh_from_db()
    assert product.is_public


def test_another_cooperatives_service_is_not_found():
    other = not_offered_by("stripes")
    client = dashboard(staff_of("stripes"))
    assert client.get(product_url(other)).status_code == 404
    lookup = client.get(reverse("dashboard:catalogue-product-lookup"), {"q": ""})
    listed = {row["id"] for row in json.loads(lookup.content)["results"]}
    assert other.pk not in listed
    assert listed and listed <= set(
        Product.objects.filter(stockrecords__partner__code="stripes").values_list("pk", flat=True)
    ) | set(
        Product.objects.filter(children__stockrecords__partner__code="stripes").values_list(
            "pk", flat=True
        )
    )


# every dashboard URL a cooperative's staff may open, and how it is scoped
COOPERATIVE_MAY_OPEN = {
    "catalogue-product-list",  # its own products (Oscar's partner filter)
    "catalogue-product",  # its own products' pages, for its offers (404 for others)
    "catalogue-product-lookup",  # its own products
    "catalogue-product-bulk-action",  # its own prices; redirects without a selection
}
SIBLING_APPS = (
    "catalogue_dashboard",
    "offers_dashboard",
    "ranges_dashboard",
    "vouchers_dashboard",
    "partners_dashboard",
    "reviews_dashboard",
    "pages_dashboard",
    "users_dashboard",
    "communications_dashboard",
    "shipping_dashboard",
    "reports_dashboard",
)


def sweep_urls(ids: dict):
    """(app, url name, path) for every pattern of the catalogue dashboard and its siblings,
    with another cooperative's ids in it."""
    for label in SIBLING_APPS:
        config = apps.get_app_config(label)
        for pattern in config.get_urls():
            kwargs = {name: ids.get(name, ids["pk"]) for name in pattern.pattern.regex.groupindex}
            yield label, pattern.name, reverse(f"dashboard:{pattern.name}", kwargs=kwargs)


def test_every_catalogue_and_sibling_url_is_scoped_or_denied_to_a_cooperative():
    other = not_offered_by("stripes")
    category = Category.objects.first()
    ids = {
        "pk": other.pk,
        "parent_pk": other.pk,
        "parent": category.pk,
        "product_class_slug": "servizio",
        "slug": "servizio",
        "code": "x",
        "id": other.pk,
    }
    client = dashboard(staff_of("stripes"))
    canary = other.title
    opened = set()
    count = 0
    for _app, name, path in sweep_urls(ids):
        for method in ("get", "post"):
            count += 1
            response = getattr(client, method)(path)
            body = response.content.decode(errors="replace")
            if name in COOPERATIVE_MAY_OPEN:
                assert canary not in body, (method, path)
                assert response.status_code in (200, 302, 404, 405), (method, path)
                opened.add(name)
            else:
                assert response.status_code in (302, 403, 404, 405), (method, path)
                if response.status_code == 302:
                    assert "login" in response["Location"], (method, path)
    assert opened == COOPERATIVE_MAY_OPEN
    assert Product.objects.filter(pk=other.pk, title=canary).exists()
    assert count > 100


def test_the_catalogue_manager_edits_a_shared_service_and_not_the_offers():
    product = shared_service()
    prices = dict(product.stockrecords.values_list("pk", "price"))
    client = dashboard(manager())
    page = client.get(product_url(product))
    assert page.status_code == 200
    assert len(page.context["stockrecord_formset"].forms) == 0
    data = posted(page)
    data["description"] = "<p>Nuova descrizione della piattaforma</p>"
    assert client.post(product_url(product), data).status_code == 302
    product.refresh_from_db()
    assert product.description == "<p>Nuova descrizione della piattaforma</p>"
    assert dict(product.stockrecords.values_list("pk", "price")) == prices
    # the platform's categories too, and nothing but the shared services
    assert client.get(reverse("dashboard:catalogue-category-list")).status_code == 200
    voucher = Product.objects.exclude(product_class__slug="servizio").filter(parent=None).first()
    assert voucher is not None
    assert client.get(product_url(voucher)).status_code == 404
    create = reverse("dashboard:catalogue-product-create", args=[voucher.product_class.slug])
    assert client.get(create).status_code == 404


def test_the_generator_makes_the_catalogue_managers_group():
    from django.contrib.auth.models import Group

    group = Group.objects.get(name="Gestori del catalogo")
    assert group.permissions.filter(codename="change_product").exists()


def test_an_unavailable_offer_is_not_sold_and_its_notes_are_shown(territories):
    product = shared_service()
    offer = product.stockrecords.get(partner__code="stripes")
    offer.notes = "Portate un tappetino."
    offer.save()
    client = portal_client("rho")
    page = client.get(product.get_absolute_url()).content.decode()
    assert "Portate un tappetino." in page
    offer.available = False
    offer.save()
    # its only offer here paused: the service is not on sale on this portal
    assert client.get(product.get_absolute_url()).status_code == 404
    listing = client.get("/shop/catalogue/").content.decode()
    assert product.get_absolute_url() not in listing


XSS = (
    "<img src=x onerror=alert(1)><script>alert(2)</script>"
    '<p>Testo <a href="javascript:alert(3)">link</a></p>'
)


def test_a_description_with_script_is_stored_and_served_inert():
    product = shared_service()
    client = dashboard(manager())
    page = client.get(product_url(product))
    data = posted(page)
    data["description"] = XSS
    assert client.post(product_url(product), data).status_code == 302
    product.refresh_from_db()
    for bad in ("onerror", "<script", "javascript:"):
        assert bad not in product.description
    assert "Testo" in product.description
    # a row written around the model (an old row, a bulk update) is shown inert too
    Product.objects.filter(pk=product.pk).update(description=XSS)
    category = product.categories.first()
    Category.objects.filter(pk=category.pk).update(description=XSS)
    slugs = set(product.stockrecords.values_list("territory__slug", flat=True))
    assert len(slugs) > 1
    for slug in slugs:
        client = portal_client(slug)
        for url in (product.get_absolute_url(), category.get_absolute_url()):
            html = client.get(url).content.decode()
            assert "Testo" in html, (slug, url)
            for bad in ("onerror", "<script>alert", "javascript:alert"):
                assert bad not in html, (slug, url, bad)


def test_a_category_description_is_sanitised_on_save():
    category = Category.objects.first()
    category.description = XSS
    category.save()
    category.refresh_from_db()
    assert "onerror" not in category.description and "<script" not in category.description


def test_offer_and_range_descriptions_are_stored_and_served_inert():
    Range = get_model("offer", "Range")
    Condition = get_model("offer", "Condition")
    Benefit = get_model("offer", "Benefit")
    ConditionalOffer = get_model("offer", "ConditionalOffer")
    services = Range.objects.create(
        name="Servizi scontati", slug="servizi-scontati", description=XSS, is_public=True
    )
    service = shared_service()
    services.add_product(service)
    offer = ConditionalOffer.objects.create(
        name="Sconto di benvenuto",
        slug="sconto-di-benvenuto",
        description=XSS,
        offer_type=ConditionalOffer.SITE,
        condition=Condition.objects.create(range=services, type=Condition.COUNT, value=1),
        benefit=Benefit.objects.create(range=services, type=Benefit.PERCENTAGE, value=10),
    )
    for stored in (services, offer):
        stored.refresh_from_db()
        assert "onerror" not in stored.description and "<script" not in stored.description
    Range.objects.filter(pk=services.pk).update(description=XSS)
    ConditionalOffer.objects.filter(pk=offer.pk).update(description=XSS)
    # the portals that offer the service show the offer (a portal that does not, does not:
    # tests/test_offer_pages.py)
    offered_in = sorted(
        set(StockRecord.objects.filter(product=service).values_list("territory__slug", flat=True))
    )
    assert len(offered_in) >= 2
    for slug in offered_in:
        client = portal_client(slug)
        for url in (
            "/shop/offers/",
            f"/shop/offers/{offer.slug}/",
            f"/shop/catalogue/ranges/{services.slug}/",
        ):
            response = client.get(url)
            html = response.content.decode()
            assert response.status_code == 200 and "Testo" in html, (slug, url)
            for bad in ("onerror", "<script>alert", "javascript:alert"):
                assert bad not in html, (slug, url, bad)


def test_the_generators_catalogue_managers_must_use_two_factor_where_required(
    django_user_model, settings
):
    """The group two-factor sign-in is required of is the one the generator makes."""
    from django.contrib.auth.models import Group

    from portal.security.two_factor import must_use_two_factor

    manager = django_user_model.objects.create_user("gestore", "gestore@example.it", "x")
    manager.groups.add(Group.objects.get(name="Gestori del catalogo"))
    settings.PORTAL_TWO_FACTOR_REQUIRED = True
    assert must_use_two_factor(manager)
    settings.PORTAL_TWO_FACTOR_REQUIRED = False
    assert not must_use_two_factor(manager)
