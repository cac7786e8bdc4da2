"""The application form, built from the programme: the fixed questions, then its own."""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from portal.defaults import setting

from .applications import ProgrammeError, household_key
from .attachments import accepted_extensions, check_upload
from .models import Application, Programme

INCOME_BANDS = (
    ("isee-fino-6000", _("ISEE up to 6,000 €")),
    ("isee-fino-15000", _("ISEE from 6,000 to 15,000 €")),
    ("isee-fino-25000", _("ISEE from 15,000 to 25,000 €")),
    ("isee-oltre-25000", _("ISEE above 25,000 €")),
    ("non-dichiarato", _("I prefer not to declare it")),
)
DOCUMENTS = (
    ("id_document", _("Identity document")),
    ("isee_certificate", _("ISEE certificate")),
)
YES_NO = (("yes", _("Yes")), ("no", _("No")))


def income_band_label(value: str) -> str:
    return str(dict(INCOME_BANDS).get(value, value))


class ApplicationForm(forms.Form):
    """A draft may be saved half filled; ``complete`` says whether it can be sent."""

    tax_code = forms.CharField(
        label=_("Tax code of the person applying for the household"),
        max_length=20,
        help_text=_("One application per household: the tax code identifies it."),
    )
    household_size = forms.IntegerField(
        label=_("People in the household"), min_value=1, max_value=20, required=False
    )
    municipality = forms.ChoiceField(label=_("Municipality of residence"), required=False)
    income_band = forms.ChoiceField(
        label=_("Income band (as you declare it)"),
        choices=[("", "—"), *INCOME_BANDS],
        required=False,
    )

    def __init__(self, programme: Programme, application: Application | None, *args, **kwargs):
        self.programme, self.application = programme, application
        if application is not None:
            initial = {
                "tax_code": application.household_key,
                "household_size": application.household_size,
                "municipality": application.municipality,
                "income_band": application.income_band,
                **{f"q_{k}": v for k, v in application.answers.items()},
            }
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        if application is not None:
            self.fields["tax_code"].disabled = True
        self.fields["municipality"].choices = [("", "—")] + [
            (m, m) for m in programme.municipalities
        ]
        for question in programme.questions:
            self.fields[f"q_{question['key']}"] = self._question_field(question)
        help_text = _("PDF, JPEG or PNG, up to %(size)s.") % {
            "size": filesizeformat(setting("PORTAL_ATTACHMENT_MAX_BYTES"))
        }
        for name, label in DOCUMENTS:
            self.fields[name] = forms.FileField(
                label=label,
                required=False,
                help_text=help_text,
                widget=forms.ClearableFileInput(attrs={"accept": accepted_extensions()}),
            )

        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select"
            elif not isinstance(widget, forms.FileInput):
                widget.attrs["class"] = "form-control"

    @staticmethod
    def _question_field(question: dict) -> forms.Field:
        label = question["label"]
        kind = question.get("type", "text")
        if kind == "number":
            return forms.IntegerField(label=label, min_value=0, required=False)
        if kind == "yes_no":
            return forms.ChoiceField(
                label=label, choices=YES_NO, widget=forms.RadioSelect, required=False
            )
        if kind == "choice":
            return forms.ChoiceField(
                label=label,
                choices=[("", "—"), *[(c, c) for c in question.get("choices", [])]],
                required=False,
            )
        return forms.CharField(
            label=label, max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
        )

    def question_fields(self):
        return [self[f"q_{q['key']}"] for q in self.programme.questions]

    def document_fields(self):
        return [self[name] for name, _label in DOCUMENTS]

    def clean_tax_code(self):
        if self.application is not None:
            return self.application.household_key
        try:
            return household_key(self.cleaned_data["tax_code"])
        except ProgrammeError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean(self):
        data = super().clean()
        for name, _label in DOCUMENTS:
            upload = data.get(name)
            if upload:
                try:
                    check_upload(upload)
                except forms.ValidationError as exc:
                    self.add_error(name, exc)
        return data

    def answers(self) -> dict:
        return {
            q["key"]: self.cleaned_data.get(f"q_{q['key']}")
            for q in self.programme.questions
            if self.cleaned_data.get(f"q_{q['key']}") not in (None, "")
        }

    def missing(self, application: Application) -> list[str]:
        """Labels of what must still be answered before the application can be sent."""
        missing = []
        if not application.household_size:
            missing.append(str(self.fields["household_size"].label))
        if not application.municipality:
            missing.append(str(self.fields["municipality"].label))
        if not application.income_band:
            missing.append(str(self.fields["income_band"].label))
        for question in self.programme.questions:
            if question.get("required", True) and question["key"] not in application.answers:
                missing.append(question["label"])
        return missing


class AnswerForm(forms.Form):
    """The applicant's answer to a request for more information, with a document if asked."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].widget.attrs["class"] = "form-control"

    note = forms.CharField(
        label=_("Your answer"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    document = forms.FileField(label=_("Document"), required=False)

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if upload:
            check_upload(upload)
        return upload
