"""The booking form: one per service line of the basket."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.territories.models import Territory

from .family import family_member_field, family_members_of, fill_from_family_member
from .models import LineBooking
from .routing import NotOfferedThere, route_line


class BookingForm(forms.ModelForm):
    """Who receives the service (the buyer or a relative), where they live and when."""

    class Meta:
        model = LineBooking
        fields = [
            "beneficiary",
            "name",
            "relationship",
            "address",
            "municipality",
            "territory",
            "phone",
            "preferred_times",
            "notes",
        ]
        widgets = {
            "beneficiary": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "address": forms.TextInput(attrs={"autocomplete": "address-line1"}),
        }
        help_texts = {
            "relationship": _("Only for a relative: e.g. mother, son, grandfather."),
            "territory": _(
                "A relative who lives elsewhere is served by the cooperatives of their own "
                "territory."
            ),
            "preferred_times": _("e.g. weekday mornings, Tuesday after 17:00"),
        }

    def __init__(self, data=None, *args, line, territory: Territory, user=None, **kwargs):
        self.line, self.basket_territory = line, territory
        members = family_members_of(user)
        prefix = kwargs.get("prefix")
        if data is not None and members:
            data = fill_from_family_member(data, members, prefix)
        super().__init__(data, *args, **kwargs)
        if members:
            # first: choosing a saved relative fills the fields left empty (fill_from_family_member)
            self.fields = {"family_member": family_member_field(members), **self.fields}
        self.fields["territory"].queryset = Territory.objects.order_by("name")
        self.fields["territory"].empty_label = None
        if not self.instance.pk:
            self.initial.setdefault("territory", territory.pk)
            if user is not None and user.is_authenticated and user.get_full_name():
                # the service is for the citizen unless they say otherwise ("Per me")
                self.initial.setdefault("name", user.get_full_name())
        for name, field in self.fields.items():
            if name != "beneficiary":
                # form-select draws the arrow that tells a drop-down from a text field
                css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
                field.widget.attrs.setdefault("class", css)

    def clean(self):
        data = super().clean()
        if data.get("beneficiary") == LineBooking.RELATIVE and not data.get("relationship"):
            self.add_error(
                "relationship", _("Tell us how the person is related to you (e.g. mother).")
            )
        territory = data.get("territory")
        if territory is not None and territory != self.basket_territory:
            try:
                route_line(self.line.product, territory)
            except NotOfferedThere as exc:
                self.add_error(
                    "territory",
                    _("%(reason)s Choose another territory, or buy it on that portal.")
                    % {"reason": exc},
                )
        return data
