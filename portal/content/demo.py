"""Demo editorial content: news, a service story and a contact form for every portal.

Written by us in Italian (``fixtures/demo/news.toml``). Each section is filled only while
it is still empty, so running ``demo`` again, or after editors have written, changes nothing.
"""

import tomllib
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page

from portal.territories.models import Territory

from .models import (
    FormField,
    FormPage,
    NewsCategory,
    NewsIndexPage,
    NewsPage,
    ServiceIndexPage,
    ServicePage,
)


def load_texts() -> dict:
    with (Path(settings.BASE_DIR) / "fixtures" / "demo" / "news.toml").open("rb") as f:
        return tomllib.load(f)


def _placeholders(territory: Territory) -> dict[str, str]:
    from oscar.core.loading import get_model

    StockRecord = get_model("partner", "StockRecord")
    cooperatives = list(territory.cooperatives.order_by("name"))
    offer = (
        StockRecord.objects.filter(territory=territory)
        .select_related("product", "partner")
        .order_by("product__title", "pk")
        .first()
    )
    newest = max(cooperatives, key=lambda p: p.pk) if cooperatives else None
    return {
        "portal": territory.name,
        "municipalities": ", ".join(territory.municipalities) or territory.name,
        "cooperatives": ", ".join(p.name for p in cooperatives),
        "newest_cooperative": newest.name if newest else territory.name,
        "service": offer.product.title if offer else "",
        "service_cooperative": offer.partner.name if offer else "",
        "product_id": offer.product_id if offer else None,
    }


def _paragraphs(texts: list[str], values: dict) -> list[tuple[str, str]]:
    return [("paragraph", f"<p>{t.format(**values)}</p>") for t in texts]


def _categories(names: dict[str, str], home: Page) -> dict[str, NewsCategory]:
    found = {}
    for slug, name in names.items():
        found[slug], _created = NewsCategory.objects.get_or_create(
            slug=slug, locale_id=home.locale_id, defaults={"name": name}
        )
    return found


def load_editorial(territory: Territory, palette: dict[str, str]) -> int:
    """Fill the Italian news, services and contacts sections of ``territory`` if still empty."""
    from portal.territories.demo import illustration

    texts = load_texts()
    values = _placeholders(territory)
    home = territory.site.root_page
    changed = 0

    news = NewsIndexPage.objects.child_of(home).first()
    if news is not None and not NewsPage.objects.child_of(news).exists():
        categories = _categories(texts["categories"], home)
        for article in texts["articles"]:
            image = get_image_model().objects.create(
                title=f"{territory.name}: {article['slug']}",
                file=illustration(
                    f"{territory.slug}-{article['slug']}",
                    palette.get("primary", "#0b4f80"),
                    palette.get("secondary", "#5c2d91"),
                ),
                collection=territory.collection,
            )
            page = NewsPage(
                title=article["title"].format(**values),
                slug=article["slug"],
                lead=article["lead"].format(**values),
                author=article["author"],
                date=timezone.localdate() - timedelta(days=article["days_ago"]),
                image=image,
                image_alt=article["image_alt"],
                category=categories[article["category"]],
                body=_paragraphs(article["paragraphs"], values),
            )
            news.add_child(instance=page)
            page.tags.add(*article["tags"])
            page.save_revision().publish()
            changed += 1

    services = ServiceIndexPage.objects.child_of(home).first()
    story = texts["service_page"]
    if (
        services is not None
        and values["product_id"]
        and not ServicePage.objects.child_of(services).exists()
    ):
        page = ServicePage(
            title=story["title"].format(**values),
            product_id=values["product_id"],
            intro=f"<p>{story['intro'].format(**values)}</p>",
            body=_paragraphs(story["paragraphs"], values),
        )
        services.add_child(instance=page)
        page.save_revision().publish()
        changed += 1

    contacts = home.get_children().filter(slug="contatti").first()
    form = texts["form_page"]
    if contacts is not None and not FormPage.objects.child_of(contacts).exists():
        page = FormPage(
            title=form["title"],
            intro=f"<p>{form['intro']}</p>",
            thank_you_text=f"<p>{form['thank_you']}</p>",
        )
        page.form_fields = [
            FormField(label="Nome e cognome", field_type="singleline", required=True),
            FormField(label="Email", field_type="email", required=True),
            FormField(label="Messaggio", field_type="multiline", required=True),
            FormField(
                label="Ho letto l'informativa sulla privacy",
                field_type="checkbox",
                required=True,
            ),
        ]
        contacts.add_child(instance=page)
        page.save_revision().publish()
        changed += 1
    return changed
