"""Sent e-mails and notifications record the portal they were sent from.

A citizen with accounts history on two portals sees on each portal's "Storico e-mail" and
notifications only what that portal sent (shop/customer/views.py, notifications/views.py).
Rows from before the field are assigned where their links name a portal (migration 0006);
the rest stay without one and are listed on no portal, since showing them anywhere could
show one portal's e-mail on another.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.communication.abstract_models import AbstractEmail, AbstractNotification


class Email(AbstractEmail):
    territory = models.ForeignKey(
        "territories.Territory",
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("territory"),
    )


class Notification(AbstractNotification):
    territory = models.ForeignKey(
        "territories.Territory",
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("territory"),
    )


from oscar.apps.communication.models import *  # noqa: E402,F403
