from django import forms
from django.utils.translation import gettext_lazy as _


class RegistrationForm(forms.Form):
    """Sign up for a webinar: name, e-mail and consent to process them for this event."""

    name = forms.CharField(label=_("Name and surname"), max_length=120)
    email = forms.EmailField(label=_("E-mail"))
    consent = forms.BooleanField(
        label=_(
            "I agree that my name and e-mail are used to organise this webinar, as the "
            "privacy policy explains."
        ),
        error_messages={"required": _("Please give your consent to sign up.")},
    )
