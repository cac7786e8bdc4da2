"""The welfare manager's forms: find a citizen, set their verified band.

No field takes an ISEE figure, and every free-text field refuses one (bands.check_no_amount).
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.territories.models import Territory

from .bands import check_no_amount, check_phone
from .citizens import TAX_CODE_RE
from .models import IncomeBand, SocialPoint


class CitizenSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, e-mail or tax code"), max_length=100, required=False, strip=True
    )

    def clean_q(self):
        query = self.cleaned_data["q"]
        check_no_amount(query)
        return query


class BandForm(forms.Form):
    band = forms.ModelChoiceField(
        label=_("Verified band"),
        queryset=IncomeBand.objects.none(),
        required=False,
        empty_label=_("No band (withdraw it)"),
    )
    expires_on = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The date the document stops being valid (for an ISEE, usually 31 December)."),
    )
    reference = forms.CharField(
        label=_("Document seen"),
        max_length=200,
        required=False,
        help_text=_(
            'A reference to the document, e.g. "ISEE 2026 protocollo INPS-ISEE-2026-…". '
            "Never the ISEE figure."
        ),
    )
    tax_code = forms.CharField(
        label=_("Tax code (as on the document)"), max_length=20, required=False
    )
    social_point = forms.ModelChoiceField(
        label=_("Social Point"),
        queryset=SocialPoint.objects.none(),
        required=False,
        empty_label=_("Not at a Social Point"),
    )

    def __init__(self, territory: Territory, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["band"].queryset = IncomeBand.objects.filter(territory=territory)
        self.fields["social_point"].queryset = SocialPoint.objects.filter(territory=territory)

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip()
        check_no_amount(reference)
        return reference

    def clean_tax_code(self):
        raw = self.cleaned_data["tax_code"]
        check_no_amount(raw)
        code = re.sub(r"\s+", "", raw).upper()
        if code and not TAX_CODE_RE.match(code):
            raise ValidationError(_("An Italian tax code has 16 letters and digits."))
        return code

    def clean(self):
        data = super().clean()
        if data.get("band") is not None:
            if not data.get("expires_on") and "expires_on" not in self.errors:
                self.add_error("expires_on", _("Give the date the band is valid until."))
            elif data.get("expires_on") and data["expires_on"] < timezone.localdate():
                self.add_error("expires_on", _("The expiry date must be today or later."))
            if not data.get("reference") and "reference" not in self.errors:
                self.add_error("reference", _("Write the reference of the document seen."))
        return data


class SocialPointForm(forms.ModelForm):
    """What a welfare manager may change of a Social Point (a rebuild keeps their change)."""

    class Meta:
        model = SocialPoint
        fields = ("name", "address", "opening_hours", "phone")

    def clean_name(self):
        check_no_amount(self.cleaned_data["name"])
        return self.cleaned_data["name"]

    def clean_address(self):
        check_no_amount(self.cleaned_data["address"])
        return self.cleaned_data["address"]

    def clean_opening_hours(self):
        check_no_amount(self.cleaned_data["opening_hours"], times_of_day=True)
        return self.cleaned_data["opening_hours"]

    def clean_phone(self):
        return check_phone(self.cleaned_data["phone"])
