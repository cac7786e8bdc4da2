"""Whose bands a welfare manager may set: their territories, and those territories' citizens.

Accounts are shared by every portal, so a citizen belongs to a territory by what they did
there: signed up on the portal, applied to one of its programmes, ordered from its shop,
or already had a band verified there, was entered at one of its offices or Social Points
(a PaperResident, portal/welfare/assisted.py), or consented to be helped by its managers.
A manager of A never finds, opens or changes a citizen who has only ever used B (404, as
every other admin view of another portal).
"""

import re

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from oscar.core.loading import get_model

from portal.programmes.models import Application, PaperResident
from portal.territories.models import Territory

from .models import AssistConsent, BandChange, CitizenBand

SEARCH_LIMIT = 50
TAX_CODE_RE = re.compile(r"^[A-Z0-9]{16}$")


def welfare_territories(user) -> QuerySet[Territory]:
    """The territories ``user`` is a welfare manager of (every one for a superuser)."""
    if not user.is_authenticated:
        return Territory.objects.none()
    if user.is_superuser:
        return Territory.objects.all()
    return Territory.objects.filter(welfare_office__group__user=user)


def is_welfare_manager(user) -> bool:
    return user.is_authenticated and (user.is_superuser or welfare_territories(user).exists())


def citizens_of(territory: Territory) -> QuerySet:
    """The active, non-staff accounts that used ``territory``'s portal."""
    PendingSignup = get_model("customer", "PendingSignup")
    Order = get_model("order", "Order")
    User = get_user_model()
    used = (
        Q(pk__in=PendingSignup.objects.filter(territory=territory).values("user"))
        | Q(pk__in=Application.objects.filter(programme__territory=territory).values("applicant"))
        | Q(pk__in=Order.objects.filter(territory=territory).values("user"))
        | Q(pk__in=BandChange.objects.filter(territory=territory).values("citizen"))
        | Q(pk__in=PaperResident.objects.filter(territory=territory).values("user"))
        | Q(pk__in=AssistConsent.objects.filter(territory=territory).values("citizen"))
    )
    return User.objects.filter(used, is_active=True, is_staff=False, is_superuser=False)


def search(territory: Territory, query: str) -> QuerySet:
    """Citizens of ``territory`` matching every word of ``query`` in their name or e-mail, or
    ``query`` as a tax code (given in an application there, or on a verified band)."""
    words = query.split()
    if not words:
        return citizens_of(territory).none()
    code = re.sub(r"\s+", "", query).upper()
    if TAX_CODE_RE.match(code):
        matches = (
            Q(
                pk__in=Application.objects.filter(
                    programme__territory=territory, household_key=code
                ).values("applicant")
            )
            | Q(
                pk__in=CitizenBand.objects.filter(territory=territory, tax_code=code).values(
                    "citizen"
                )
            )
            | Q(
                pk__in=PaperResident.objects.filter(territory=territory, tax_code=code).values(
                    "user"
                )
            )
        )
    else:
        matches = Q()
        for word in words:
            matches &= (
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
            )
    return citizens_of(territory).filter(matches).order_by("last_name", "first_name", "email")
