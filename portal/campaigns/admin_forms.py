"""The campaign form of the admin, and the form that generates codes."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from portal.newsletters.models import NewsletterIssuePage
from portal.territories.models import Territory

from .access import template_index
from .models import Campaign, CampaignLandingPage
from .offers import AMOUNT, PERCENTAGE

Product = get_model("catalogue", "Product")
MAX_CODES = 10000


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class CampaignForm(forms.ModelForm):
    benefit_type = forms.ChoiceField(
        label=_("Kind of discount"),
        choices=[(PERCENTAGE, _("A percentage off")), (AMOUNT, _("An amount off (€)"))],
        required=False,
    )
    benefit_value = forms.DecimalField(
        label=_("Discount"), min_value=Decimal("0.01"), decimal_places=2, required=False
    )
    products = forms.ModelMultipleChoiceField(
        label=_("Services the discount applies to"),
        queryset=Product.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Campaign
        fields = [
            "name",
            "slug",
            "goal",
            "territories",
            "starts_at",
            "ends_at",
            "template_page",
            "issues",
            "discount",
        ]
        widgets = {
            "territories": forms.CheckboxSelectMultiple,
            "issues": forms.CheckboxSelectMultiple,
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "discount": forms.RadioSelect,
            "goal": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territories"].queryset = Territory.objects.order_by("name")
        self.fields["template_page"].queryset = CampaignLandingPage.objects.descendant_of(
            template_index()
        ).order_by("title")
        self.fields["issues"].queryset = NewsletterIssuePage.objects.order_by("-first_published_at")
        self.fields["issues"].required = False
        self.fields["products"].queryset = Product.objects.filter(
            parent=None, is_public=True
        ).order_by("title")
        offer = self.instance.offer if self.instance.pk else None
        if offer is not None:
            self.initial.setdefault("benefit_type", offer.benefit.type)
            self.initial.setdefault("benefit_value", offer.benefit.value)
            self.initial.setdefault(
                "products", list(offer.benefit.range.included_products.values_list("pk", flat=True))
            )

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end must come after the start."))
        elif ends and ends <= timezone.now():
            self.add_error("ends_at", _("The end must be in the future."))
        if data.get("discount"):
            value, kind = data.get("benefit_value"), data.get("benefit_type")
            if not kind:
                self.add_error("benefit_type", _("Choose the kind of discount."))
            if value is None:
                self.add_error("benefit_value", _("Write the discount."))
            elif kind == PERCENTAGE and value > 100:
                self.add_error("benefit_value", _("A percentage cannot be more than 100."))
            if not data.get("products"):
                self.add_error("products", _("Choose the services the discount applies to."))
        return data


class CodesForm(forms.Form):
    count = forms.IntegerField(
        label=_("Number of codes"), min_value=1, max_value=MAX_CODES, initial=100
    )
