"""The reading tip page: the book, the review, and the "reserve this book" form."""

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from portal.territories import generations

from .forms import ReservationForm
from .models import ReadingTipPage
from .reservations import NoBookshop, bookshop_of, reserve


def _just_reserved(page: ReadingTipPage) -> str:
    return f"bookshop:just-reserved:{page.pk}"


def serve_reading_tip(page: ReadingTipPage, request: HttpRequest, *args, **kwargs) -> HttpResponse:
    territory = getattr(request, "territory", None)
    # which cooperative is the bookshop changes only when the portal is built again
    bookshop = (
        generations.remembered("bookshop", territory.pk, (), lambda: bookshop_of(territory))
        if territory is not None
        else None
    )
    form = None
    just_reserved = False
    if bookshop is not None:
        if request.method == "POST":
            form = ReservationForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    _reservation, created = reserve(
                        page,
                        territory,
                        key=data["key"],
                        name=data["name"],
                        email=data["email"],
                        phone=data["phone"],
                        notes=data["notes"],
                        portal_url=request.build_absolute_uri("/"),
                    )
                except NoBookshop:
                    form.add_error(None, _("This portal has no bookshop to send it to."))
                else:
                    messages.success(
                        request,
                        _(
                            "Thank you: %(bookshop)s has your reservation and will contact you "
                            "when the book is ready."
                        )
                        % {"bookshop": bookshop.name},
                    )
                    # the page it returns to says so instead of offering the form again
                    request.session[_just_reserved(page)] = True
                    return HttpResponseRedirect(page.get_url(request=request))
        elif hasattr(request, "session") and request.session.pop(_just_reserved(page), False):
            just_reserved = True
        else:
            initial = {"key": uuid.uuid4()}
            if request.user.is_authenticated:  # as the webinar's form: who they are already
                initial.update(name=request.user.get_full_name(), email=request.user.email)
            form = ReservationForm(initial=initial)
    elif request.method == "POST":
        return HttpResponse(status=405)
    context = page.get_context(request, *args, **kwargs)
    context.update({"form": form, "bookshop": bookshop, "just_reserved": just_reserved})
    return TemplateResponse(request, page.get_template(request, *args, **kwargs), context)
