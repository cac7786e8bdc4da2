from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from shop.catalogue.facets import AUDIENCES


def language_choices(territory) -> list[tuple[str, str]]:
    """The portal's own languages, named as the interface names them."""
    names = dict(settings.LANGUAGES)
    return [(code, names.get(code, code)) for code in (territory.languages or ["it"])]


class _Choices(forms.Form):
    interests = forms.MultipleChoiceField(
        label=_("What would you like to hear about?"),
        choices=list(AUDIENCES.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave them all empty to hear about everything."),
    )
    language = forms.ChoiceField(label=_("Language of the e-mails"))

    def __init__(self, *args, territory, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices(territory)


class SubscribeForm(_Choices):
    """Subscribe to a portal's newsletter: no account needed, consent asked in so many words."""

    email = forms.EmailField(
        label=_("E-mail"),
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter a valid e-mail address, such as name@example.it."),
        },
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that this portal sends me its newsletter at this address and keeps the "
            "address and my choices for that purpose only, until I unsubscribe, as the privacy "
            "policy explains."
        ),
        error_messages={"required": _("Please give your consent to subscribe.")},
    )
    field_order = ["email", "interests", "language", "consent"]


class PreferencesForm(_Choices):
    paused = forms.BooleanField(
        label=_("Pause the newsletter for now (you stay subscribed, and can resume here)"),
        required=False,
    )
