"""The counter's two forms: the letter's code, then the amount and the service."""

import re
from decimal import Decimal

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

TOKEN = re.compile(r"^[0-9a-f]{32}$")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code on the letter"),
        max_length=64,
        help_text=gettext_lazy("Type it, or scan the QR code: spaces and dashes do not matter."),
        widget=forms.TextInput(
            attrs={
                "class": "form-control",
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )


def offer_label(offer) -> str:
    return f"{offer.product.get_title()} – {offer.partner.name}"


class SpendForm(forms.Form):
    """The amount and the service; ``code`` and ``token`` ride along in hidden fields.

    The services are the cooperative's own offers the programme pays for: any other id (a
    forged one, another cooperative's) is not a valid choice.
    """

    code = forms.CharField(widget=forms.HiddenInput, max_length=64)
    token = forms.CharField(widget=forms.HiddenInput, max_length=32)
    service = forms.TypedChoiceField(
        label=gettext_lazy("Service"),
        coerce=int,
        widget=forms.Select(attrs={"class": "form-control"}),
    )
    amount = forms.DecimalField(
        label=gettext_lazy("Amount (€)"),
        min_value=Decimal("0.01"),
        max_digits=10,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "decimal"}),
    )

    def __init__(self, *args, offers: list, available: Decimal, **kwargs):
        super().__init__(*args, **kwargs)
        self.available = available
        self.offers = {offer.pk: offer for offer in offers}
        self.fields["service"].choices = [("", "—")] + [
            (offer.pk, offer_label(offer)) for offer in offers
        ]

    def clean_service(self):
        return self.offers[self.cleaned_data["service"]]

    def clean_token(self):
        token = self.cleaned_data["token"]
        if not TOKEN.match(token):
            raise forms.ValidationError(_("The form has expired: find the code again."))
        return token

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount > self.available:
            raise forms.ValidationError(
                _("The credit left is %(available)s €: the amount cannot be more.")
                % {"available": number_format(self.available, 2, use_l10n=True)}
            )
        return amount
