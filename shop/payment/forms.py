"""The dashboard's refund form."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _


class RefundForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount to refund (€)"),
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
    )
    # made when the form is shown: the same form sent twice refunds once
    request_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    # the first submit shows what will happen; only the confirmed one refunds
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)
