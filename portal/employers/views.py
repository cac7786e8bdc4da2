"""Public pages of employer welfare: the invitation link (set a password, sign in)."""

from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
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
    my_welfare = reverse("customer:employer-welfare")  # "Il mio welfare aziendale"
    if user.has_usable_password():
        # the e-mail says "sign in to see your credit": the credit, after signing in if needed
        if request.user.is_authenticated and request.user.pk == user.pk:
            return redirect(my_welfare)
        return redirect_to_login(my_welfare)
    form = SetPasswordForm(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(my_welfare)
    return TemplateResponse(
        request,
        "employers/invitation.html",
        {"form": form, "employer": employee.employer, "invited": user},
    )
