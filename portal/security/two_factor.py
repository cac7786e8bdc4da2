"""Two-factor sign-in for staff (django-otp, TOTP: any authenticator app).

Any staff member may add an authenticator app on ``/security/two-factor/``; from then on the
admin and the dashboard ask for its six-digit code after the password, once per session.
Where ``PORTAL_TWO_FACTOR_REQUIRED`` is on (production), superusers and the members of the
group named by ``PORTAL_CATALOGUE_MANAGERS_GROUP`` cannot use the admin or the dashboard
until they have added one and given its code. Lost phone: another superuser deletes the
user's device in the admin (``manage.py shell``: ``TOTPDevice.objects.filter(user=…).delete()``).
"""

from urllib.parse import urlencode

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django_otp import user_has_device

from portal.defaults import setting

from .csp import is_staff_path


def must_use_two_factor(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether ``user`` must give a code before using the admin or the dashboard."""
    if not user.is_authenticated:
        return False
    if user_has_device(user):  # who added an app uses it
        return True
    if not setting("PORTAL_TWO_FACTOR_REQUIRED"):
        return False
    return (
        user.is_superuser
        or user.groups.filter(name=setting("PORTAL_CATALOGUE_MANAGERS_GROUP")).exists()
    )


class TwoFactorMiddleware:
    """Sends a signed-in user who owes a code from the admin or dashboard to the code page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        user = getattr(request, "user", None)
        if (
            user is not None
            and is_staff_path(request.path_info)
            and not _is_sign_in_page(request.path_info)
            and user.is_authenticated
            and not user.is_verified()
            and must_use_two_factor(user)
        ):
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('security:two-factor')}?{query}")
        return self.get_response(request)


def _is_sign_in_page(path: str) -> bool:
    return any(part in path for part in ("/login/", "/logout/", "/password_reset/"))
