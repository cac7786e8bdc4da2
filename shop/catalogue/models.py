"""Services are Oscar products with four facts of their own, on the product row.

Who the service is for and how it is delivered are what citizens filter on, so they are
columns (see :mod:`shop.catalogue.facets` for why not Oscar's attribute tables); the duration
and the number of sessions are shown on every service page. A service sold in packages is a
parent product whose children (the packages) carry their own number of sessions.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.abstract_models import AbstractProduct

from .facets import AUDIENCE, DELIVERY


class Product(AbstractProduct):
    audience = models.CharField(
        _("audience"), max_length=120, blank=True, db_index=True, help_text=_("who it is for")
    )
    delivery_modes = models.CharField(_("delivery modes"), max_length=60, blank=True, db_index=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration of a session (minutes)"), null=True, blank=True
    )
    sessions = models.PositiveSmallIntegerField(_("number of sessions"), null=True, blank=True)

    class Meta(AbstractProduct.Meta):
        pass

    def _own_or_parent(self, field: str):
        value = getattr(self, field)
        if not value and self.is_child:
            return getattr(self.parent, field)
        return value

    @property
    def audience_labels(self) -> list[str]:
        return AUDIENCE.labels(self._own_or_parent("audience"))

    @property
    def delivery_labels(self) -> list[str]:
        return DELIVERY.labels(self._own_or_parent("delivery_modes"))

    @property
    def session_minutes(self) -> int | None:
        return self._own_or_parent("duration_minutes")


from oscar.apps.catalogue.models import *  # noqa: E402,F403
