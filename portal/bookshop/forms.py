from django import forms
from django.utils.translation import gettext_lazy as _


class ReservationForm(forms.Form):
    """Ask the bookshop to keep a book. ``key`` makes a second submit of the form harmless."""

    name = forms.CharField(label=_("Name and surname"), max_length=120)
    email = forms.EmailField(label=_("E-mail"))
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        help_text=_("Optional: the bookshop may call you when the book arrives."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the bookshop uses these details to handle my reservation, as the "
            "privacy policy explains."
        ),
        error_messages={"required": _("Please give your consent to reserve the book.")},
    )
    key = forms.UUIDField(widget=forms.HiddenInput)
