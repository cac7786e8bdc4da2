"""Two-factor sign-in for staff (django-otp, TOTP: any authenticator app).

Any staff member may add an authenticator app on ``/security/two-factor/``; from then on the
admin and the dashboard ask for its six-digit code after the password, once per session.
Where ``PORTAL_TWO_FACTOR_REQUIRED`` is on (production), superusers and the members of the
group named by ``PORTAL_CATALOGUE_MANAGERS_GROUP`` cannot use the admin or the dashboard
until they have added one and given its code.

Lost phone: when the app is added, the page shows single-use recovery codes once
(django-otp's static tokens); each signs in once in place of the app's code, and new ones
(the old stop working) are made on the same page. With no code left, an administrator runs
``python manage.py portal reset-two-factor <email>`` and the user adds an app again.
"""

from urllib.parse import urlencode

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

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


def new_recovery_codes(user: AbstractBaseUser) -> list[str]:
    """Give ``user`` a new set of single-use recovery codes; the previous set stops working."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=_("Recovery codes"), confirmed=True)
        codes = [StaticToken.random_token() for _n in range(setting("PORTAL_RECOVERY_CODES"))]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user: AbstractBaseUser) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def reset_two_factor(user: AbstractBaseUser) -> int:
    """Forget every second factor of ``user`` (app and recovery codes): how many went.

    The user signs in with the password alone and, where a code is required of them, adds
    an app again before using the admin or the dashboard."""
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=user).delete()[1].get(TOTPDevice._meta.label, 0)
        removed += (
            StaticDevice.objects.filter(user=user).delete()[1].get(StaticDevice._meta.label, 0)
        )
    return removed


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
