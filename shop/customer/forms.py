"""Oscar's customer forms, each personal-data field telling the browser what it holds
(WCAG 1.3.5): the views load these through ``get_class("customer.forms", …)``; the forms not
named here come from Oscar unchanged."""

from django import forms
from django.conf import settings
from oscar.apps.customer import forms as core
from oscar.apps.customer.utils import normalise_email


class _Autocomplete:
    """Sets ``autocomplete`` on the fields named in ``autocomplete`` (field name -> token)."""

    autocomplete: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, token in self.autocomplete.items():
            if name in self.fields:
                self.fields[name].widget.attrs["autocomplete"] = token


class EmailAuthenticationForm(_Autocomplete, core.EmailAuthenticationForm):
    autocomplete = {"username": "email", "password": "current-password"}


class EmailUserCreationForm(_Autocomplete, core.EmailUserCreationForm):
    """Registration, valid for any well-formed address: whether it has an account is told
    to its owner by e-mail, never on the page (``shop.customer.signup``)."""

    autocomplete = {"email": "email", "password1": "new-password", "password2": "new-password"}

    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data["email"])

    def clean_redirect_url(self) -> str:
        """Oscar's check of the address (this host, a URL of ours); "" for none, so that the
        confirmation link lands on the account page."""
        if not self.cleaned_data["redirect_url"].strip():
            return ""
        url = super().clean_redirect_url()
        return "" if url == settings.LOGIN_REDIRECT_URL else url

    def save(self, commit: bool = True):
        raise NotImplementedError("accounts are created by shop.customer.signup.confirm_signup")


class ConfirmPasswordForm(_Autocomplete, core.ConfirmPasswordForm):
    autocomplete = {"password": "current-password"}


class PasswordResetForm(_Autocomplete, core.PasswordResetForm):
    autocomplete = {"email": "email"}


class ProfileForm(_Autocomplete, core.ProfileForm):
    """The profile, valid for any well-formed new address: whether it has an account is
    told to its owner by e-mail, never on the page; the address itself changes only from
    the link e-mailed to it (``shop.customer.email_change``), so ``save`` keeps the old one."""

    autocomplete = {"first_name": "given-name", "last_name": "family-name", "email": "email"}

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.current_email = user.email

    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data["email"])

    @property
    def new_email(self) -> str | None:
        """The address typed, if it is not the account's own (compared ignoring case)."""
        email = self.cleaned_data.get("email")
        if email and email.lower() != (self.current_email or "").lower():
            return email
        return None

    def save(self, commit: bool = True):
        if "email" in self.fields:
            self.instance.email = self.current_email
        return super().save(commit)


UserForm = ProfileForm if core.ProfileForm is core.UserForm else core.UserForm


class ProductAlertForm(_Autocomplete, core.ProductAlertForm):
    """Oscar's stock alert; for a visitor who is not signed in, an address that already has
    an alert or a confirmation pending is not an error ("there is already an active stock
    alert for …" told anyone what an address had asked for): the view answers as for a new
    alert and makes none (``already_asked``)."""

    autocomplete = {"email": "email"}
    already_asked = False

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            if self.user.is_authenticated:
                raise  # their own alerts: nothing to hide from them
            self.already_asked = True
            return self.cleaned_data


class AnonymousOrderForm(_Autocomplete, core.AnonymousOrderForm):
    autocomplete = {"email": "email"}


class OrderSearchForm(core.OrderSearchForm):
    """The order history's filter, with the browser's own date inputs: Oscar's date picker
    needs a jQuery plugin the portal does not load, and its widget's template writes its
    attributes with no space between them (invalid HTML)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("date_from", "date_to"):
            self.fields[name].widget = forms.DateInput(
                attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"
            )
        self.fields["order_number"].widget.attrs["class"] = "form-control"
