"""Who a service is for and how it is delivered: the two facets the catalogue filters on.

Both are multi-valued and drawn from short fixed lists, so they are stored on the product row
itself as a delimited string (``",children,families,"``) rather than in Oscar's EAV tables:
a filter is then one ``LIKE`` on the listing's own query (no join, no extra query, no
prefetch), and a service card can show them without touching another table.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

AUDIENCES = {
    "children": _("Children"),
    "families": _("Families"),
    "elderly": _("Elderly people"),
    "disability": _("People with disabilities"),
    "caregivers": _("Caregivers"),
    "new_parents": _("New parents"),
}
DELIVERY_MODES = {
    "online": pgettext_lazy("delivery mode", "Online"),
    "home": pgettext_lazy("delivery mode", "At home"),
    "centre": pgettext_lazy("delivery mode", "At a centre"),
}
SEPARATOR = ","


@dataclass(frozen=True)
class Facet:
    """One filterable facet: its GET parameter, the product field and the allowed values."""

    param: str
    field: str
    choices: dict
    legend: str

    def labels(self, stored: str) -> list[str]:
        return [str(self.choices[code]) for code in decode(stored) if code in self.choices]

    def clean(self, values: Iterable[str]) -> list[str]:
        """The known values among ``values`` (a bad GET parameter is ignored, not an error)."""
        return [code for code in self.choices if code in set(values)]

    def q(self, values: Iterable[str]) -> Q:
        """Products having any of ``values`` (OR within a facet)."""
        query = Q()
        for code in values:
            query |= Q(**{f"{self.field}__contains": f"{SEPARATOR}{code}{SEPARATOR}"})
        return query


AUDIENCE = Facet("audience", "audience", AUDIENCES, _("Who it is for"))
DELIVERY = Facet("delivery", "delivery_modes", DELIVERY_MODES, _("How it is delivered"))
FACETS = (AUDIENCE, DELIVERY)


def encode(values: Iterable[str]) -> str:
    """The stored form: known order, no duplicates, delimited on both sides (or empty)."""
    values = list(dict.fromkeys(values))
    return f"{SEPARATOR}{SEPARATOR.join(values)}{SEPARATOR}" if values else ""


def decode(stored: str) -> list[str]:
    return [code for code in (stored or "").split(SEPARATOR) if code]
