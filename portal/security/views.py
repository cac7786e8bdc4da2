"""The two-factor page: add an authenticator app, or give its code (two_factor.py)."""

import segno
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from oscar.core.loading import get_class

from .forms import TokenForm
from .two_factor import must_use_two_factor


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/admin/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return "/admin/"
    return target


@login_required(login_url="wagtailadmin_login")
def two_factor(request: HttpRequest) -> HttpResponse:
    """With an app: ask its code. Without: show a new key as a QR code, confirm with a code."""
    user = request.user
    enrolled = user_has_device(user)
    if enrolled:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    else:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or (
            TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
        )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            if not device.confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return HttpResponseRedirect(_next(request))
        form.add_error("token", _("This code is not right, or it has expired. Try the next one."))
    context = {
        "form": form,
        "enrolled": enrolled,
        "required": must_use_two_factor(user),
        "next": _next(request),
    }
    if not enrolled:
        context["qr_code"] = segno.make(device.config_url, error="m").svg_data_uri(scale=5)
        context["secret"] = device.config_url.split("secret=")[1].split("&")[0]
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "security/two_factor.html", context, status=status)


# Oscar's customer logout signs out on GET: an <img src=".../logout/"> on any other site would
# sign the visitor out. Ours takes a POST (with its CSRF token) only, like Django's own.
logout = get_class("customer.views", "LogoutView").as_view(http_method_names=["post", "options"])
