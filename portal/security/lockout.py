"""What a visitor sees when sign-in is refused for too many failures (django-axes).

Axes refuses the sign-in (settings/base.py: ``AXES_*``) on every login form: the Wagtail
admin, the shop's account and checkout pages, the Oscar dashboard. This page says so in the
visitor's language, for how long, and how to get back in sooner: a new password (the reset
e-mail's link unlocks the account, receivers.py) or the platform's staff
(``manage.py axes_reset_username <e-mail>``).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from oscar.apps.customer.utils import normalise_email


def username_of(request: HttpRequest, credentials: dict | None) -> str:
    """The account a sign-in is for, the same whether it is typed as a user name or as an
    e-mail (in any case): failures at the admin and at the shop add up."""
    credentials = credentials or {}
    name = credentials.get("username") or credentials.get("email") or ""
    if not name and request is not None and request.method == "POST":
        name = request.POST.get("username") or request.POST.get("login-username") or ""
    if "@" not in name:
        return name
    email = normalise_email(name).lower()
    user = get_user_model()._default_manager.filter(email__iexact=email).order_by("pk").first()
    return user.get_username() if user is not None else email


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    response = TemplateResponse(
        request,
        "security/locked_out.html",
        {
            "hours": settings.AXES_COOLOFF_TIME,
            "admin": request.path_info.startswith("/admin/"),
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    return response.render()
