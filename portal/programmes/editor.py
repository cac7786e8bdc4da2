"""The officers' programme editor: the form, its rows of amounts and questions, and the save.

One :class:`ProgrammeForm` for a new programme and for an existing one, always built for
one territory: its cooperatives are the only ones offered, its municipalities the only ones
accepted. Amounts by household size and the form's questions are rows of their own
(formsets), not JSON. :func:`save_programme` writes everything in one transaction, funds
the budget through :func:`~portal.programmes.budget.fund` (the ledger) and claims what the
officer changed, so ``portal build`` never writes it again.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model
from wagtail.admin.widgets import AdminDateInput

from portal.ledger.models import Account
from portal.territories.models import Territory
from portal.territories.seeding import plain
from portal.territories.spec.programmes import MAX_BUDGET
from shop.catalogue.fixture import load_catalogue

from .budget import budget_left, create_programme, fund, funded
from .generator import claim_fields
from .models import Programme

Partner = get_model("partner", "Partner")

FIELDS = (
    "title",
    "summary",
    "kind",
    "budget",
    "opens_on",
    "closes_on",
    "credit_expires_on",
    "categories",
    "municipalities",
)
QUESTION_TYPES = (
    ("text", _("Free text")),
    ("number", _("A number")),
    ("yes_no", _("Yes or no")),
    ("choice", _("One of a list of choices")),
)
CENT = Decimal("0.01")
KEY_RE = re.compile(r"[a-z][a-z0-9_]*")


def granted(programme: Programme) -> Decimal:
    """What has left the budget account: credited to wallets and not come back."""
    return funded(programme) - budget_left(programme)


class ProgrammeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.SlugField(
        label=_("Address (slug)"),
        max_length=60,
        required=False,
        help_text=_(
            "The programme's address on the portal, e.g. buoni-spesa-2027; empty: made from "
            "the title. It cannot change later."
        ),
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Programme.Kind.choices)
    budget = forms.DecimalField(
        label=_("Budget (€)"),
        max_digits=12,
        decimal_places=2,
        help_text=_("The whole budget, in euros. A change is funded on the ledger at once."),
    )
    opens_on = forms.DateField(label=_("Applications open on"), widget=AdminDateInput)
    closes_on = forms.DateField(label=_("Applications close on"), widget=AdminDateInput)
    credit_expires_on = forms.DateField(
        label=_("Credit expires on"),
        required=False,
        widget=AdminDateInput,
        help_text=_(
            "The last day the credit can be spent; what is left afterwards goes back to the "
            "budget. Empty: it does not expire."
        ),
    )
    cooperatives = forms.ModelMultipleChoiceField(
        label=_("Eligible cooperatives"),
        queryset=Partner.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every cooperative of the portal."),
    )
    categories = forms.MultipleChoiceField(
        label=_("Eligible service categories"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every category."),
    )
    municipalities = forms.MultipleChoiceField(
        label=_("Municipalities covered"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, territory: Territory, programme: Programme | None = None, *args, **kwargs):
        self.territory, self.programme = territory, programme
        if programme is not None:
            kwargs.setdefault("initial", initial_of(programme))
        super().__init__(*args, **kwargs)
        self.fields["cooperatives"].queryset = Partner.objects.filter(
            territories=territory
        ).order_by("name")
        self.fields["categories"].choices = [
            (slug, category.name) for slug, category in load_catalogue().categories.items()
        ]
        towns = list(territory.municipalities or [territory.name])
        towns += [t for t in (programme.municipalities if programme else []) if t not in towns]
        self.fields["municipalities"].choices = [(t, t) for t in towns]
        if programme is not None:
            del self.fields["slug"]  # the ledger's account codes carry it
        else:
            self.fields["municipalities"].initial = towns

    def clean_slug(self):
        slug = self.cleaned_data["slug"] or slugify(self.cleaned_data.get("title", ""))[:60]
        if not slug:
            raise forms.ValidationError(_("Give the programme an address (slug)."))
        if (
            Programme.objects.filter(territory=self.territory, slug=slug).exists()
            or (
                Account.objects.filter(code__startswith=f"{self.territory.slug}:programme:{slug}:")
            ).exists()
        ):
            raise forms.ValidationError(
                _("The portal already has a programme at the address “%(slug)s”: choose another.")
                % {"slug": slug}
            )
        return slug

    def clean_budget(self):
        budget = self.cleaned_data["budget"]
        if budget <= 0 or budget >= MAX_BUDGET:
            raise forms.ValidationError(
                _("The budget must be more than 0.00 € and less than %(max)s €.")
                % {"max": MAX_BUDGET}
            )
        if self.programme is not None:
            used = granted(self.programme)
            if budget < used:
                raise forms.ValidationError(
                    _(
                        "%(used)s € of this budget have already been credited to wallets: "
                        "the budget cannot go below %(used)s €."
                    )
                    % {"used": used}
                )
        return budget.quantize(CENT)

    def clean(self):
        data = super().clean()
        opens, closes, expires = (
            data.get("opens_on"),
            data.get("closes_on"),
            data.get("credit_expires_on"),
        )
        if opens and closes and closes < opens:
            self.add_error(
                "closes_on",
                _("Applications cannot close before they open (%(date)s).")
                % {"date": opens.strftime("%d/%m/%Y")},
            )
        if expires and closes and expires < closes:
            self.add_error(
                "credit_expires_on",
                _("The credit cannot expire before applications close (%(date)s).")
                % {"date": closes.strftime("%d/%m/%Y")},
            )
        return data


def initial_of(programme: Programme) -> dict:
    return {
        **{name: getattr(programme, name) for name in FIELDS},
        "cooperatives": list(programme.cooperatives.values_list("pk", flat=True)),
    }


class AmountForm(forms.Form):
    household_size = forms.IntegerField(
        label=_("People in the household"), min_value=1, max_value=20
    )
    amount = forms.DecimalField(label=_("Amount (€)"), max_digits=12, decimal_places=2)

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount <= 0:
            raise forms.ValidationError(_("An amount must be more than 0.00 €."))
        return amount.quantize(CENT)


class BaseAmountFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        sizes = [
            f.cleaned_data["household_size"]
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        if not sizes:
            raise forms.ValidationError(_("Give at least one amount, for a household of 1."))
        if len(sizes) != len(set(sizes)):
            raise forms.ValidationError(_("Each household size may have one amount only."))

    def amounts(self) -> dict[str, str]:
        rows = [
            (f.cleaned_data["household_size"], f.cleaned_data["amount"])
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        return {str(size): str(amount) for size, amount in sorted(rows)}


AmountFormSet = forms.formset_factory(
    AmountForm, formset=BaseAmountFormSet, extra=3, can_delete=True, max_num=20
)


class QuestionForm(forms.Form):
    label = forms.CharField(label=_("Question"), max_length=300)
    key = forms.CharField(
        label=_("Key"),
        max_length=40,
        required=False,
        help_text=_("Lower-case letters, digits, underscores; empty: made from the question."),
    )
    type = forms.ChoiceField(label=_("Answer"), choices=QUESTION_TYPES, initial="text")
    choices = forms.CharField(
        label=_("Choices, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)

    def clean(self):
        data = super().clean()
        key = data.get("key") or slugify(data.get("label", "")).replace("-", "_")[:40]
        if key and not key[0].isalpha():
            key = f"q_{key}"[:40]
        if not KEY_RE.fullmatch(key or ""):
            self.add_error("key", _("Use lower-case letters, digits and underscores."))
        data["key"] = key
        choices = [c.strip() for c in (data.get("choices") or "").splitlines() if c.strip()]
        if data.get("type") == "choice" and len(choices) < 2:
            self.add_error("choices", _("A question with choices lists at least two."))
        elif data.get("type") != "choice" and choices:
            self.add_error("choices", _("Only a question with choices has choices."))
        data["choices"] = choices
        return data


class BaseQuestionFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        keys = [q["key"] for q in self.questions()]
        for key in {k for k in keys if keys.count(k) > 1}:
            raise forms.ValidationError(
                _("Two questions have the key “%(key)s”: give them different keys.") % {"key": key}
            )

    def questions(self) -> list[dict]:
        return [
            {
                "key": f.cleaned_data["key"],
                "label": f.cleaned_data["label"],
                "type": f.cleaned_data["type"],
                "choices": f.cleaned_data["choices"],
                "required": f.cleaned_data["required"],
            }
            for f in self.ordered_forms
        ]


QuestionFormSet = forms.formset_factory(
    QuestionForm, formset=BaseQuestionFormSet, extra=2, can_delete=True, can_order=True
)


@dataclass
class Editor:
    """The form and its two sets of rows, bound or not; valid only all together."""

    form: ProgrammeForm
    amounts: BaseAmountFormSet
    questions: BaseQuestionFormSet

    @classmethod
    def build(cls, territory: Territory, programme: Programme | None, data=None) -> "Editor":
        amounts = [
            {"household_size": int(size), "amount": Decimal(amount)}
            for size, amount in sorted(
                (programme.amounts if programme else {}).items(), key=lambda i: int(i[0])
            )
        ]
        questions = [
            {**q, "choices": "\n".join(q.get("choices", [])), "required": q.get("required", True)}
            for q in (programme.questions if programme else [])
        ]
        return cls(
            ProgrammeForm(territory, programme, data=data),
            AmountFormSet(data=data, initial=amounts, prefix="amounts"),
            QuestionFormSet(data=data, initial=questions, prefix="questions"),
        )

    def is_valid(self) -> bool:
        return all([self.form.is_valid(), self.amounts.is_valid(), self.questions.is_valid()])


def _changed(programme: Programme, values: dict, cooperatives: list[int]) -> list[str]:
    before = {
        **initial_of(programme),
        "amounts": programme.amounts,
        "questions": programme.questions,
    }
    changed = [name for name in values if plain(before[name]) != plain(values[name])]
    if sorted(before["cooperatives"]) != sorted(cooperatives):
        changed.append("cooperatives")
    return changed


def save_programme(territory: Territory, editor: Editor, programme: Programme | None) -> Programme:
    """Write a valid editor's programme, fund its budget on the ledger, claim its fields.

    Raises :class:`~portal.ledger.transfers.InsufficientFunds` when, meanwhile, more was
    credited than the new budget leaves room for; nothing is written then.
    """
    data = editor.form.cleaned_data
    values = {
        **{name: data[name] for name in FIELDS},
        "amounts": editor.amounts.amounts(),
        "questions": editor.questions.questions(),
    }
    cooperatives = [c.pk for c in data["cooperatives"]]
    with transaction.atomic():
        if programme is None:
            programme = create_programme(territory, slug=data["slug"], **values)
            changed = [*values, "cooperatives"]
        else:
            programme = Programme.objects.select_for_update().get(pk=programme.pk)
            changed = _changed(programme, values, cooperatives)
            for name, value in values.items():
                setattr(programme, name, value)
            programme.save()
            fund(programme)
        programme.cooperatives.set(cooperatives)
        claim_fields(programme, changed)
    return programme
