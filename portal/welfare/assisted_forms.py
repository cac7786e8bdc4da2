"""The welfare manager's forms of assisted mode: a citizen made at the desk, their consent,
the Social Point a session is held at."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.territories.models import Territory

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
