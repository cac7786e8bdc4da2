"""The two-factor pages: add an authenticator app, give its code or a recovery code, make new
recovery codes (two_factor.py)."""

import segno
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from oscar.core.loading import get_class

from .forms import RecoveryCodeForm, TokenForm
from .two_factor import must_use_two_factor, new_recovery_codes, recovery_codes_left


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/admin/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return "/admin/"
    return target


@login_required(login_url="wagtailadmin_login")
def two_factor(request: HttpRequest) -> HttpResponse:
    """Without an app: add one. With one: its code or a recovery code; once given, the page
    says how many recovery codes are left and makes new ones."""
    app = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if app is None:
        return _set_up(request)
    if request.user.is_verified():
        context = {"codes_left": recovery_codes_left(request.user), "next": _next(request)}
        return TemplateResponse(request, "security/two_factor_done.html", context)
    return _prompt(request, app)


def _set_up(request: HttpRequest) -> HttpResponse:
    """A new key as a QR code, confirmed with a code; then the recovery codes, shown once."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or (
        TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return _show_codes(request, new_recovery_codes(user))
        form.add_error("token", _("This code is not right, or it has expired. Try the next one."))
    context = {
        "form": form,
        "enrolled": False,
        "required": must_use_two_factor(user),
        "next": _next(request),
        "qr_code": segno.make(device.config_url, error="m").svg_data_uri(scale=5),
        "secret": device.config_url.split("secret=")[1].split("&")[0],
    }
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "security/two_factor.html", context, status=status)


def _prompt(request: HttpRequest, app: TOTPDevice) -> HttpResponse:
    """The app's code, or (lost phone) one of the recovery codes: each signs in once."""
    user = request.user
    using_recovery = "recovery_code" in request.POST
    form = TokenForm(request.POST if request.method == "POST" and not using_recovery else None)
    recovery_form = RecoveryCodeForm(request.POST if using_recovery else None)
    if form.is_bound and form.is_valid():
        if app.verify_token(form.cleaned_data["token"]):
            otp_login(request, app)
            return HttpResponseRedirect(_next(request))
        form.add_error("token", _("This code is not right, or it has expired. Try the next one."))
    if recovery_form.is_bound and recovery_form.is_valid():
        codes = StaticDevice.objects.filter(user=user).first()
        if codes is not None and not codes.verify_is_allowed()[0]:
            recovery_form.add_error(
                "recovery_code", _("Too many wrong codes in a row: wait a minute and try again.")
            )
        elif codes is not None and (
            device := verify_token(user, codes.persistent_id, recovery_form.cleaned_data["code"])
        ):
            otp_login(request, device)
            return HttpResponseRedirect(_next(request))
        else:
            recovery_form.add_error(
                "recovery_code",
                _("This recovery code is not right, or it has been used already."),
            )
    context = {
        "form": form,
        "recovery_form": recovery_form,
        "enrolled": True,
        "next": _next(request),
    }
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "security/two_factor.html", context, status=status)


@require_POST
@login_required(login_url="wagtailadmin_login")
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes for a user who gave a code this session; the old ones stop working."""
    if not request.user.is_verified():
        return HttpResponseRedirect(reverse("security:two-factor"))
    return _show_codes(request, new_recovery_codes(request.user))


def _show_codes(request: HttpRequest, codes: list[str]) -> HttpResponse:
    # shown in this response only: they are not on any page that can be opened again
    context = {"codes": codes, "next": _next(request)}
    response = TemplateResponse(request, "security/recovery_codes.html", context)
    response["Cache-Control"] = "no-store"
    return response


# Oscar's customer logout signs out on GET: an <img src=".../logout/"> on any other site would
# sign the visitor out. Ours takes a POST (with its CSRF token) only, like Django's own.
# Signed out, the visitor lands on the home page in the language they were using.
class _LogoutView(get_class("customer.views", "LogoutView")):
    http_method_names = ["post", "options"]

    def get_redirect_url(self, *args, **kwargs) -> str:
        from portal.content.templatetags.portal_tags import home_url_of

        return home_url_of(self.request)


logout = _LogoutView.as_view()
