"""Builders for the editorial tests: articles, service pages, form pages, images.

Pages are made the way the admin makes them: ``add_child`` then a published revision.
"""

import io
from datetime import date, timedelta

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Locale, Page

from portal.content.models import NewsCategory, NewsIndexPage, NewsPage, ServiceIndexPage


def home_of(territory, language: str = "it") -> Page:
    root = territory.site.root_page
    if root.locale.language_code == language:
        return root.specific
    return root.get_translation(Locale.objects.get(language_code=language)).specific


def section(territory, page_type, language: str = "it"):
    return page_type.objects.child_of(home_of(territory, language)).get()


def news_index(territory, language: str = "it") -> NewsIndexPage:
    return section(territory, NewsIndexPage, language)


def service_index(territory, language: str = "it") -> ServiceIndexPage:
    return section(territory, ServiceIndexPage, language)


def small_image(title: str, collection=None):
    buffer = io.BytesIO()
    PILImage.new("RGB", (120, 60), "#3d8b6e").save(buffer, "PNG")
    kwargs = {"collection": collection} if collection is not None else {}
    return get_image_model().objects.create(
        title=title, file=ImageFile(buffer, name=f"{title}.png"), **kwargs
    )


def category(name: str, slug: str, language: str = "it") -> NewsCategory:
    locale = Locale.objects.get(language_code=language)
    found, _created = NewsCategory.objects.get_or_create(
        slug=slug, locale=locale, defaults={"name": name}
    )
    return found


def add_article(index: NewsIndexPage, title: str, *, days_ago: int = 0, publish=True, **fields):
    tags = fields.pop("tags", [])
    article = NewsPage(
        title=title,
        live=publish,
        lead=fields.pop("lead", f"In breve: {title}."),
        date=date.today() - timedelta(days=days_ago),
        **fields,
    )
    index.add_child(instance=article)
    if tags:
        article.tags.add(*tags)
    revision = article.save_revision()
    if publish:
        revision.publish()
    return article


def add_articles(index: NewsIndexPage, count: int, image=None, cat=None) -> list[NewsPage]:
    return [
        add_article(
            index,
            f"Notizia numero {n}",
            days_ago=n,
            image=image,
            image_alt="Cerchi colorati",
            category=cat,
            tags=["servizi", f"tag-{n % 3}"],
            author="Redazione",
        )
        for n in range(count)
    ]


def offered_product(territory, not_in=None):
    """A service ``territory`` offers in its shop (and, if given, ``not_in`` does not)."""
    from shop.catalogue.scoping import offered_in

    products = offered_in(territory)
    if not_in is not None:
        products = products.exclude(pk__in=offered_in(not_in).values("pk"))
    return products.order_by("title", "pk").first()


def add_service_page(territory, product, title="Una storia di servizio", language="it"):
    from portal.content.models import ServicePage

    page = ServicePage(title=title, product=product, intro="<p>Come è andata per le famiglie.</p>")
    service_index(territory, language).add_child(instance=page)
    page.save_revision().publish()
    return page


def add_form_page(parent, title="Scrivici", **fields):
    from portal.content.models import FormField, FormPage

    page = FormPage(
        title=title,
        intro="<p>Rispondiamo entro due giorni lavorativi.</p>",
        thank_you_text="<p>Grazie, ti risponderemo presto.</p>",
        **fields,
    )
    page.form_fields = [
        FormField(label="Nome", field_type="singleline", required=True),
        FormField(label="Email", field_type="email", required=True),
        FormField(label="Messaggio", field_type="multiline", required=True),
    ]
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page
