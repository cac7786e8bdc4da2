"""Form pages editors build (contact forms), with spam protection and autocomplete."""

from django import forms
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.mail import send_mail
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.forms import BaseForm, FormBuilder
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField
from wagtail.models import Page, TranslatableMixin
from wagtail.search import index

HONEYPOT_FIELD = "website"


# Words of a field's name (it, en, de) -> the autocomplete token of what it holds (WCAG 1.3.5).
_PHONE_WORDS = {"telefono", "cellulare", "phone", "telephone", "mobile", "telefon", "handy"}
_FAMILY_NAME_WORDS = {"cognome", "surname", "nachname"}
_GIVEN_NAME_WORDS = {"nome", "name", "vorname"}


def autocomplete_token(clean_name: str, field: forms.Field) -> str | None:
    """The ``autocomplete`` token for an editor-built field, guessed from its type and name
    ("Nome e cognome" -> name, "Telefono" -> tel), or None when it asks for no personal data."""
    words = set(clean_name.lower().split("_"))
    if isinstance(field, forms.EmailField) or words & {"email", "mail"}:
        return "email"
    if not isinstance(field.widget, forms.TextInput):
        return None
    if words & _PHONE_WORDS:
        return "tel"
    family, given = bool(words & _FAMILY_NAME_WORDS), bool(words & _GIVEN_NAME_WORDS)
    if (family and given) or words & {"full", "nominativo"}:
        return "name"
    if family:
        return "family-name"
    if given:
        return "name" if words & {"name"} else "given-name"
    return None


class SpamSafeForm(BaseForm):
    """A form with a honeypot: a field hidden from people, which robots fill in. Fields that
    ask for personal data say so to the browser (``autocomplete``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            token = autocomplete_token(name, field)
            if token:
                field.widget.attrs.setdefault("autocomplete", token)
                if token == "tel":
                    field.widget.input_type = "tel"
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            required=False,
            label=_("Leave this field empty"),
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )

    def clean_website(self):
        if self.cleaned_data.get(HONEYPOT_FIELD):
            raise forms.ValidationError(_("Leave this field empty: it catches automated spam."))
        return ""


class SpamSafeFormBuilder(FormBuilder):
    def get_form_class(self):
        return type("PortalForm", (SpamSafeForm,), self.formfields)


class FormField(TranslatableMixin, AbstractFormField):
    """A field of a form page; translatable, so each language's form has its own labels."""

    page = ParentalKey("content.FormPage", on_delete=models.CASCADE, related_name="form_fields")

    class Meta(TranslatableMixin.Meta, AbstractFormField.Meta):
        pass


class FormPage(AbstractEmailForm):
    """A form editors build themselves (contacts, a request for information…).

    Each answer is kept in the admin and e-mailed to the address written on the page, or,
    when none is, to the portal's contact address. A hidden field turns robots away.
    """

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    thank_you_text = RichTextField(
        _("thank-you text"), blank=True, features=["bold", "italic", "link"]
    )
    form_builder = SpamSafeFormBuilder

    content_panels = AbstractEmailForm.content_panels + [
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("Form fields")),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading=_("E-mail"),
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["content.HomePage", "content.StandardPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("form page")

    def recipients(self) -> list[str]:
        """The page's own addresses, else the portal's contact e-mail."""
        from portal.territories.models import PortalSettings

        addresses = [a.strip() for a in (self.to_address or "").split(",") if a.strip()]
        if addresses:
            return addresses
        site = self.get_site()
        email = PortalSettings.for_site(site).email if site else ""
        return [email] if email else []

    def process_form_submission(self, form):
        form.cleaned_data.pop(HONEYPOT_FIELD, None)
        submission = self.get_submission_class().objects.create(
            form_data=form.cleaned_data, page=self
        )
        recipients = self.recipients()
        if recipients:
            subject = self.subject or gettext("New answer to “%(form)s”") % {"form": self.title}
            send_mail(subject, self.render_email(form), recipients, self.from_address or None)
        return submission
