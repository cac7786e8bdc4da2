"""Admin views for paper applications: the officer's form, and the approved one's letter.

Both start from the officer's own programmes and applications (:mod:`.office`), so an
officer of A gets a 404 for B's; the admin scope lists them with the same checks.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from .applications import ProgrammeError, household_key
from .forms import INCOME_BANDS, ApplicationForm
from .letters import letter_pdf
from .models import Application
from .office import own_applications, own_programmes
from .paper import PaperAnswers, Resident, enter_paper_application, issue_letter_code

LETTER_LANGUAGES = ("it", "en", "de")  # those the interface is translated into (portal/locale)


class PaperApplicationForm(forms.Form):
    """What the officer copies from the paper form: the resident, then the application."""

    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=150)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=150)
    tax_code = forms.CharField(label=gettext_lazy("Tax code"), max_length=20)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=40, required=False)
    address = forms.CharField(label=gettext_lazy("Address (street and number)"), max_length=200)
    municipality = forms.ChoiceField(label=gettext_lazy("Municipality of residence"))
    household_size = forms.IntegerField(
        label=gettext_lazy("People in the household"), min_value=1, max_value=20
    )
    income_band = forms.ChoiceField(
        label=gettext_lazy("Income band (as declared)"),
        choices=[("", "—"), *INCOME_BANDS],
        required=False,
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the letter"),
        choices=[(code, name) for code, name in settings.LANGUAGES if code in LETTER_LANGUAGES],
        initial="it",
    )

    def __init__(self, programme, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["municipality"].choices = [("", "—")] + [
            (m, m) for m in programme.municipalities
        ]
        for question in programme.questions:
            self.fields[f"q_{question['key']}"] = ApplicationForm._question_field(question)

    RESIDENT = ("first_name", "last_name", "tax_code", "phone", "address", "language")

    def resident_fields(self):
        return [self[name] for name in self.RESIDENT]

    def application_fields(self):
        return [field for field in self if field.name not in self.RESIDENT]

    def clean_tax_code(self):
        try:
            return household_key(self.cleaned_data["tax_code"])
        except ProgrammeError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def resident(self) -> Resident:
        data = self.cleaned_data
        return Resident(
            first_name=data["first_name"],
            last_name=data["last_name"],
            tax_code=data["tax_code"],
            address=data["address"],
            phone=data["phone"],
            language=data["language"],
        )

    def answers(self) -> PaperAnswers:
        data = self.cleaned_data
        return PaperAnswers(
            household_size=data["household_size"],
            municipality=data["municipality"],
            income_band=data["income_band"],
            answers={
                q["key"]: data.get(f"q_{q['key']}")
                for q in self.programme.questions
                if data.get(f"q_{q['key']}") not in (None, "")
            },
        )


@require_http_methods(["GET", "POST"])
def paper_application(request: HttpRequest, programme_id: int) -> HttpResponse:
    """Enter a resident's paper application: it is sent at once, with its protocol number."""
    programme = get_object_or_404(
        own_programmes(request.user).select_related("territory", "budget_account"),
        pk=programme_id,
    )
    form = PaperApplicationForm(programme, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = enter_paper_application(
                programme, request.user, form.resident(), form.answers()
            )
        except ProgrammeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Paper application %(protocol)s entered.") % {"protocol": application.protocol},
            )
            return redirect("programmes_admin_application", application.pk)
    return TemplateResponse(
        request, "programmes/admin/paper.html", {"programme": programme, "form": form}
    )


@require_POST
def letter(request: HttpRequest, application_id: int) -> HttpResponse:
    """Print the letter: a new code (the previous letter stops working), as a PDF."""
    found = get_object_or_404(
        own_applications(request.user).select_related(
            "programme__territory", "applicant__paper_resident"
        ),
        pk=application_id,
        channel=Application.Channel.PAPER,
    )
    try:
        code = issue_letter_code(found, request.user)
    except ProgrammeError as exc:
        messages.error(request, str(exc))
        return redirect("programmes_admin_application", found.pk)
    response = HttpResponse(letter_pdf(found, code), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="lettera-{found.protocol}.pdf"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
