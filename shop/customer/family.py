"""My family members ("I miei familiari"): the relatives a citizen books services for.

Every view reads through ``request.user``: another person's family member is a 404.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from portal.territories.models import Territory

from .models import FamilyMember


class FamilyMemberForm(forms.ModelForm):
    class Meta:
        model = FamilyMember
        fields = ["name", "relationship", "territory", "address", "municipality", "phone"]
        widgets = {"phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = Territory.objects.order_by("name")
        self.fields["territory"].help_text = _(
            "The cooperatives of this territory serve them, whichever portal you buy on."
        )
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


def _page(request, template: str, title: str, **context) -> HttpResponse:
    return TemplateResponse(
        request, template, {"page_title": title, "active_tab": "family", **context}
    )


@login_required
def family_list(request: HttpRequest) -> HttpResponse:
    members = list(FamilyMember.objects.filter(owner=request.user).select_related("territory"))
    return _page(
        request, "oscar/customer/family/list.html", _("My family members"), members=members
    )


@login_required
def family_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add (no ``pk``) or change one of my family members."""
    member = (
        get_object_or_404(FamilyMember, pk=pk, owner=request.user)
        if pk is not None
        else FamilyMember(owner=request.user)
    )
    form = FamilyMemberForm(request.POST or None, instance=member)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(
                request, _("%(name)s is saved in your family members.") % {"name": member.name}
            )
            return redirect("customer:family-list")
        messages.error(request, _("Please correct the errors below: nothing was saved."))
    title = _("Change a family member") if pk is not None else _("Add a family member")
    response = _page(request, "oscar/customer/family/form.html", title, form=form, member=member)
    if request.method == "POST":
        response.status_code = 400
    return response


@login_required
def family_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then (POST) remove one of my family members; their past bookings stay as they were."""
    member = get_object_or_404(FamilyMember, pk=pk, owner=request.user)
    if request.method == "POST":
        member.delete()
        messages.success(
            request, _("%(name)s was removed from your family members.") % {"name": member.name}
        )
        return redirect("customer:family-list")
    return _page(
        request, "oscar/customer/family/delete.html", _("Remove a family member"), member=member
    )
