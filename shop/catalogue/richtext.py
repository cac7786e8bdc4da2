"""The shop's stored HTML (service, category, offer and range descriptions), made inert.

Oscar's dashboard edits these descriptions as HTML, and the catalogue fixture writes them
too; whatever the editor, only a short list of tags and attributes is kept, with nh3 (the
Ammonia sanitiser): on save (:func:`sanitise_on_save`, connected to every model below) and
again where a template shows one (the ``stored_html`` filter), so a row written some other
way is shown inert as well. Wagtail's rich text goes through its own editor's whitelist.
"""

import nh3
from django.db.models.signals import pre_save
from oscar.core.loading import get_model

TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "a",
}
ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

# (app label, model): its fields stored as HTML
HTML_FIELDS = {
    ("catalogue", "Product"): ("description",),
    ("catalogue", "Category"): ("description", "long_description"),
    ("offer", "ConditionalOffer"): ("description",),
    ("offer", "Range"): ("description",),
}


def clean_html(value: str) -> str:
    """``value`` with only harmless markup left (scripts, handlers, styles and unknown tags
    removed, links given ``rel="noopener noreferrer"``)."""
    if not value:
        return value
    return nh3.clean(
        value,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def sanitise_on_save(sender, instance, **kwargs) -> None:
    for field in HTML_FIELDS[(sender._meta.app_label, sender.__name__)]:
        setattr(instance, field, clean_html(getattr(instance, field)))


def connect() -> None:
    for app_label, model_name in HTML_FIELDS:
        pre_save.connect(
            sanitise_on_save,
            sender=get_model(app_label, model_name),
            dispatch_uid=f"richtext:{app_label}.{model_name}",
        )
