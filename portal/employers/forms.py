from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.territories.models import Territory

from .models import Employer, WelfarePlan
from .tuir import CODES, NAMES

MAX_UPLOAD = 5 * 1024 * 1024


class EmployerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(label=_("Slug"), max_length=60)
    kind = forms.ChoiceField(label=_("Kind"), choices=Employer.Kind.choices)
    territory = forms.ModelChoiceField(
        label=_("Based in"), queryset=Territory.objects.order_by("name"), required=False
    )

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if Employer.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("An employer with this slug exists already."))
        return slug


class PlanForm(forms.ModelForm):
    categories = forms.MultipleChoiceField(
        label=_("TUIR categories it may buy"),
        choices=[(code, NAMES[code]) for code in CODES],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = WelfarePlan
        fields = ["year", "title", "credit", "credit_by_grade", "categories", "ends_on", "status"]
        widgets = {"ends_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, employer: Employer, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.employer = employer

    def clean_credit_by_grade(self):
        value = self.cleaned_data["credit_by_grade"] or {}
        if not isinstance(value, dict):
            raise forms.ValidationError(_('Write it as {"grade": "amount"}.'))
        for grade, amount in value.items():
            try:
                if Decimal(str(amount)) < 0:
                    raise InvalidOperation
            except InvalidOperation as exc:
                raise forms.ValidationError(
                    _("'%(amount)s' for %(grade)s is not an amount.")
                    % {"amount": amount, "grade": grade}
                ) from exc
        return value

    def clean_year(self):
        year = self.cleaned_data["year"]
        others = WelfarePlan.objects.filter(employer=self.instance.employer, year=year)
        if others.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("This employer has a plan for %(year)s already.") % {"year": year}
            )
        return year


class UploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file of the employees"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        raw = upload.read()
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise forms.ValidationError(_("The file is not a text (CSV) file."))


class LeaverForm(forms.Form):
    left_on = forms.DateField(label=_("Left on"), widget=forms.DateInput(attrs={"type": "date"}))


class FundingForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount (€)"), max_digits=12, decimal_places=2, min_value=0.01
    )
    reference = forms.CharField(label=_("Bank transfer reference (CRO/TRN)"), max_length=120)
    day = forms.DateField(label=_("Date received"), widget=forms.DateInput(attrs={"type": "date"}))
