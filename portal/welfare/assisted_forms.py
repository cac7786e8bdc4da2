"""The welfare manager's forms of assisted mode: a citizen made at the desk, their consent,
the Social Point a session is held at."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.territories.models import Territory

from .bands import check_no_amount, check_phone
from .models import AssistConsent, SocialPoint


class NewCitizenForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    tax_code = forms.CharField(label=_("Tax code"), max_length=20)
    phone = forms.CharField(label=_("Phone"), max_length=40)
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("Optional: with it the citizen can sign in and receive payment links."),
    )

    def _no_amount(self, name: str) -> str:
        value = self.cleaned_data[name].strip()
        check_no_amount(value)
        return value

    def clean_first_name(self):
        return self._no_amount("first_name")

    def clean_last_name(self):
        return self._no_amount("last_name")

    def clean_tax_code(self):
        return self._no_amount("tax_code")  # before household_key, whose message repeats it

    def clean_phone(self):
        return check_phone(self.cleaned_data["phone"])


class SocialPointChoice(forms.Form):
    social_point = forms.ModelChoiceField(
        label=_("Social Point"), queryset=SocialPoint.objects.none(), required=False
    )

    def __init__(self, territory: Territory, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["social_point"].queryset = SocialPoint.objects.filter(territory=territory)


class ConsentForm(SocialPointChoice):
    how = forms.ChoiceField(
        label=_("How the consent was given"),
        choices=AssistConsent.How.choices,
        widget=forms.RadioSelect,
    )
    given_at = forms.DateTimeField(
        label=_("When"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    read = forms.BooleanField(
        label=_("I have read the consent text to the citizen and they agreed to it."),
    )

    def __init__(self, territory, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault(
            "given_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M")
        )
        super().__init__(territory, *args, **kwargs)
