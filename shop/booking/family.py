"""The booking step offers the family members saved in the buyer's account (shop/customer).

Choosing one fills the beneficiary's details the buyer left empty — who, how related, where
they live — so the line is routed to the cooperative of that territory (:mod:`.routing`).
"""

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from shop.customer.models import FamilyMember

from .models import LineBooking

FIELD = "family_member"


def family_members_of(user) -> list[FamilyMember]:
    if user is None or not user.is_authenticated:
        return []
    return list(FamilyMember.objects.filter(owner=user).select_related("territory"))


def family_member_field(members: list[FamilyMember]) -> forms.ChoiceField:
    return forms.TypedChoiceField(
        label=_("One of my family members"),
        choices=[("", _("— none: I type the details below —"))]
        + [(m.pk, f"{m} – {m.territory.name}") for m in members],
        coerce=int,
        required=False,
        help_text=_(
            "The service is for them, delivered by the cooperatives of the territory where "
            "they live; their address and phone fill the fields you leave empty."
        ),
        widget=forms.Select(attrs={"class": "form-select"}),
    )


def fill_from_family_member(data, members: list[FamilyMember], prefix: str | None):
    """``data`` with the chosen member as the beneficiary (name, relationship, territory) and
    their address and phone in the fields the buyer left empty.

    An unknown or another person's member id is left to the field's validation (an error).
    """
    key = f"{prefix}-{FIELD}" if prefix else FIELD
    chosen = {str(m.pk): m for m in members}.get(data.get(key, ""))
    if chosen is None:
        return data
    data = data.copy() if isinstance(data, QueryDict) else dict(data)

    def name(field: str) -> str:
        return f"{prefix}-{field}" if prefix else field

    # who they are and where they live come from the account; how to reach them fills blanks
    data[name("beneficiary")] = LineBooking.RELATIVE
    data[name("name")] = chosen.name
    data[name("relationship")] = str(chosen.get_relationship_display())
    data[name("territory")] = str(chosen.territory_id)
    for field, value in (
        ("address", chosen.address),
        ("municipality", chosen.municipality),
        ("phone", chosen.phone),
    ):
        if not data.get(name(field)) and value:
            data[name(field)] = value
    return data
