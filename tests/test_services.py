"""Services: filters by audience and delivery mode, packages priced per territory, facts shown."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext, ngettext
from oscar.core.loading import get_model

from portal.territories.spec import parse_spec
from shop.catalogue.facets import AUDIENCES, DELIVERY_MODES, encode
from tests.conftest import portal_client
from tests.test_query_budget import offer_services
from tests.test_spec_check import VALID, write_spec

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")


def italian(text) -> str:
    """A message as the (Italian) page shows it, whether or not it is translated yet."""
    with translation.override("it"):
        return str(text)


def shown(html: str) -> set[str]:
    return set(re.findall(r'data-service="([^"]+)"', html))


def offered(territory, **filters) -> set[str]:
    return {
        p.upc
        for p in Product.objects.filter(parent=None, is_public=True, **filters)
        if StockRecord.objects.filter(territory=territory, product__in=[p, *p.children.all()])
    }


def test_filter_by_audience_shows_only_services_for_that_audience(territories):
    html = portal_client("cremona").get("/shop/catalogue/?audience=elderly").content.decode()
    assert shown(html) == offered(territories["cremona"], audience__contains=",elderly,")
    assert 0 < len(shown(html)) < len(offered(territories["cremona"]))
    assert 'id="filter-audience-elderly" name="audience" value="elderly" checked' in html
    active = html[html.index("portal-active-filters") :]
    assert italian(AUDIENCES["elderly"]) in active  # the active filter, removable
    assert italian(gettext("(remove this filter)")) in active


def test_filters_combine_or_within_a_facet_and_across_facets(territories):
    rho = territories["rho"]
    html = (
        portal_client("rho")
        .get("/shop/catalogue/?audience=children&audience=elderly&delivery=online")
        .content.decode()
    )
    expected = {
        p.upc
        for p in Product.objects.filter(upc__in=offered(rho))
        if (",children," in p.audience or ",elderly," in p.audience)
        and ",online," in p.delivery_modes
    }
    assert expected and shown(html) == expected


def test_unknown_filter_values_are_ignored(territories):
    html = portal_client("rho").get("/shop/catalogue/?audience=martians").content.decode()
    assert shown(html) == offered(territories["rho"])


def test_filter_form_is_accessible(rho_client):
    html = rho_client.get("/shop/catalogue/").content.decode()
    assert html.count("<fieldset") >= 2 and html.count("<legend") >= 2
    for code in ("children", "families", "elderly", "disability", "caregivers", "new_parents"):
        assert f'<label class="form-check-label" for="filter-audience-{code}">' in html
    for code in ("online", "home", "centre"):
        assert f'for="filter-delivery-{code}"' in html


def test_filtered_listing_costs_the_same_queries_with_5_or_50_services(territories):
    sondrio = territories["sondrio"]

    def count(n: int) -> tuple[int, str]:
        offer_services(sondrio, n)
        Product.objects.filter(upc__startswith="bench-").update(
            audience=encode(["elderly"]), delivery_modes=encode(["home"])
        )
        client = portal_client("sondrio")
        path = (
            "/shop/catalogue/?audience=elderly&audience=children&audience=caregivers"
            "&delivery=online&delivery=home&delivery=centre"
        )
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        return len(captured), response.content.decode()

    few, few_html = count(5)
    many, html = count(50)
    assert shown(few_html) and len(shown(html)) == 24  # both non-empty, a full page
    assert few == many
    # pagination keeps the filters
    assert re.search(r'href="\?audience=elderly&amp;audience=children[^"]*page=2"', html)


def test_packages_are_priced_per_territory(territories):
    prices = {
        (sr.territory.slug, sr.product.upc): sr.price
        for sr in StockRecord.objects.filter(product__parent__upc="tutoring-online").select_related(
            "territory", "product"
        )
    }
    assert prices[("rho", "tutoring-online--1")] == Decimal("19.00")
    assert prices[("rho", "tutoring-online--5")] == Decimal("90.00")
    assert prices[("napoli", "tutoring-online--5")] == Decimal("75.00")
    assert ("cremona", "tutoring-online--5") not in prices  # cremona sells single sessions only
    assert not StockRecord.objects.filter(product__upc="tutoring-online").exists()  # the parent


def test_product_page_shows_the_facts_and_a_package_choice(territories):
    product = Product.objects.get(upc="tutoring-online")
    html = portal_client("rho").get(product.get_absolute_url()).content.decode()
    with translation.override("it"):
        facts = [
            str(AUDIENCES["children"]),
            str(DELIVERY_MODES["online"]),
            ngettext("%(minutes)s minute", "%(minutes)s minutes", 60) % {"minutes": 60},
            gettext("Choose a package"),
            "Stripes Cooperativa Sociale",
        ]
        five = ngettext("%(sessions)s session", "%(sessions)s sessions", 5) % {"sessions": 5}
        from_price = gettext("from %(price)s") % {"price": "19,00\xa0€"}
    for text in facts:
        assert text in html, text
    assert html.count('name="child_id"') == 2
    assert f"{five}: 90,00\xa0€" in html
    assert from_price in html  # the cheapest package

    cremona = portal_client("cremona").get(product.get_absolute_url()).content.decode()
    assert cremona.count('name="child_id"') == 1


def test_listing_shows_a_packaged_service_from_its_cheapest_package(rho_client):
    html = rho_client.get("/shop/catalogue/?q=tutoring").content.decode()
    assert "tutoring-online" in shown(html)
    assert italian(gettext("from %(price)s")) % {"price": "19,00\xa0€"} in html


def test_adding_a_package_to_the_basket_uses_the_territory_price(rho_client):
    child = Product.objects.get(upc="tutoring-online--5")
    parent = child.parent
    rho_client.post(f"/shop/basket/add/{parent.pk}/", {"quantity": 1, "child_id": child.pk})
    html = rho_client.get("/shop/basket/").content.decode()
    assert "pacchetto da 5 incontri" in html
    assert re.search(r"90,00\s€", html)


@pytest.mark.parametrize(
    "packages, key, message",
    [
        ('{ 5 = "80.00" }', "services[0].packages", "is not sold in packages"),
        ('{ 7 = "80.00" }', "services[0].packages.7", "has no package of 7 sessions"),
        ("{ 5 = 80.0 }", "services[0].packages.5", "write prices as strings"),
    ],
)
def test_spec_package_errors_name_file_and_key(tmp_path, packages, key, message):
    ref = "babysitting" if "not sold" in message else "tutoring-online"
    text = re.sub(r'ref = "[a-z-]+"', f'ref = "{ref}"', VALID, count=1)
    text = re.sub(r'(price = "[0-9.]+")', rf"\1\npackages = {packages}", text, count=1)
    _spec, errors = parse_spec(write_spec(tmp_path, text))
    assert any(e.key == key and message in e.message for e in errors), errors
    assert all(str(e).startswith(str(e.file)) for e in errors)
