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
