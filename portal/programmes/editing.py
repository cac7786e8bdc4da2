"""Admin: officers create and edit their own territory's programmes (editor.py holds the form).

Scoped where the data is read, as office.py: the territory of a new programme and the
programme to edit are looked up among the user's office territories, so another territory's
id is a 404; the form offers only the territory's own cooperatives and municipalities, and
anything else posted is refused with an error and writes nothing.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.ledger.transfers import InsufficientFunds
from portal.territories.models import Territory

from .editor import Editor, granted, save_programme
from .models import Programme
from .office import office_territories, own_programmes


def _render(request, editor: Editor, territory: Territory, programme: Programme | None):
    return TemplateResponse(
        request,
        "programmes/admin/edit.html",
        {
            "editor": editor,
            "form": editor.form,
            "territory": territory,
            "programme": programme,
            "granted": granted(programme) if programme else None,
        },
    )


def _save(request, territory: Territory, programme: Programme | None) -> HttpResponse:
    editor = Editor.build(territory, programme, request.POST if request.method == "POST" else None)
    if request.method != "POST" or not editor.is_valid():
        if request.method == "POST":
            messages.error(request, _("The programme was not saved: correct the errors below."))
        return _render(request, editor, territory, programme)
    try:
        saved = save_programme(territory, editor, programme)
    except InsufficientFunds as exc:
        editor.form.add_error(
            "budget",
            _("Meanwhile more was credited: only %(left)s € of the budget are left to give back.")
            % {"left": exc.available},
        )
        messages.error(request, _("The programme was not saved: correct the errors below."))
        return _render(request, editor, territory, programme)
    messages.success(
        request,
        (
            _("Programme “%(title)s” created.")
            if programme is None
            else _("Programme “%(title)s” saved.")
        )
        % {"title": saved.title},
    )
    return redirect("programmes_admin_queue", saved.pk)


@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, territory_id: int) -> HttpResponse:
    """A new programme of one of the officer's territories, funded on the ledger."""
    territory = get_object_or_404(office_territories(request.user), pk=territory_id)
    return _save(request, territory, None)


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, programme_id: int) -> HttpResponse:
    """One of the officer's programmes; a budget change moves money on the ledger."""
    programme = get_object_or_404(
        own_programmes(request.user).select_related("territory", "budget_account"),
        pk=programme_id,
    )
    return _save(request, programme.territory, programme)
