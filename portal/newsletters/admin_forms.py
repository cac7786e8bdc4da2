from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portal.territories.models import Territory
from shop.catalogue.facets import AUDIENCES


class SegmentForm(forms.Form):
    """Who an issue goes to: portals, interests (none: everyone), language (none: any)."""

    territories = forms.ModelMultipleChoiceField(
        label=_("Portals"),
        queryset=Territory.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one portal.")},
    )
    interests = forms.MultipleChoiceField(
        label=_("Interests"),
        choices=list(AUDIENCES.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "None chosen: every subscriber. Subscribers who chose no interest hear of all."
        ),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("Any language")), *settings.LANGUAGES],
        required=False,
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)
