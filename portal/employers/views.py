"""Public pages of employer welfare: the invitation link (set a password, sign in)."""

from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .invitations import read_token


@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The invited employee chooses a password and is signed in; an expired or used link says so."""
    employee = read_token(token)
    if employee is None:
        return TemplateResponse(request, "employers/invitation_expired.html", status=410)
    user = employee.user
    if user.has_usable_password():
        return redirect("customer:login")
    form = SetPasswordForm(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("/")
    return TemplateResponse(
        request,
        "employers/invitation.html",
        {"form": form, "employer": employee.employer, "invited": user},
    )
