"""The portal's side of assisted mode (portal/welfare/assisted.py): the handover from the
admin, the banner's stop, the payment link (sent by the manager, opened by the citizen), and
the citizen's list of what was done on their behalf."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.mail import EmailMessage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.defaults import setting

from . import assisted
from .models import AssistedAction
from .views import _territory

ACTIONS_PAGE_SIZE = 100


def enter(request: HttpRequest, token: str) -> HttpResponse:
    """The admin's handover: the manager is signed in on this portal, acting for the citizen."""
    territory = _territory(request)
    found = assisted.read_handover(token, territory)
    if found is None:
        raise Http404("No such assisted session.")
    session, back = found
    if not assisted.first_use_of_handover(token):
        if request.session.get(assisted.SESSION_KEY) == session.pk:
            return redirect("/")  # the same link clicked twice: already acting
        raise Http404("This link has been used already.")
    if not (request.user.is_authenticated and request.user.pk == session.manager_id):
        login(request, session.manager, backend="django.contrib.auth.backends.ModelBackend")
    request.session[assisted.SESSION_KEY] = session.pk
    request.session["welfare_assisted_back"] = back
    request.session.pop(assisted.ENDED_KEY, None)
    return redirect("/")


@require_http_methods(["GET", "POST"])
def stop(request: HttpRequest) -> HttpResponse:
    """POST: end the session (again: nothing more happens). GET: the notice that it ended."""
    territory = _territory(request)
    session = getattr(request, "assisted_session", None)
    if request.method == "POST":
        if session is not None:
            assisted.end_session(session)
            request.session.pop(assisted.SESSION_KEY, None)
            request.session[assisted.ENDED_KEY] = "stopped"
        return redirect("welfare:assisted-stop")
    if session is not None:  # still acting: nothing ended
        return redirect("/")
    reason = request.session.pop(assisted.ENDED_KEY, None)
    back = request.session.get("welfare_assisted_back", "")  # from the signed handover
    return TemplateResponse(
        request,
        "welfare/assisted_ended.html",
        {
            "page_title": _("Assisted session ended"),
            "reason": reason,
            "minutes": assisted.SESSION_MINUTES,
            "back": back,
            "territory": territory,
        },
    )


def sms_available() -> bool:
    """SMS links only where a provider is configured (none is in this project yet)."""
    return bool(setting("PORTAL_SMS_BACKEND"))


def citizen_phone(citizen) -> str:
    """The phone written down at the desk (portal/programmes/paper.py), or nothing."""
    from portal.programmes.models import PaperResident

    paper = PaperResident.objects.filter(user=citizen).only("phone").first()
    return paper.phone if paper else ""


def _send_sms(request, citizen, pay_url: str, territory) -> str | None:
    """Send the link by SMS through the configured provider (a callable ``send(to, body)``);
    the number it went to, or None when there is no provider or no phone."""
    phone = citizen_phone(citizen)
    if not (sms_available() and phone):
        return None
    send = import_string(setting("PORTAL_SMS_BACKEND"))
    send(
        to=phone,
        body=_("%(portal)s: pay your order by card, after signing in: %(url)s")
        % {"portal": territory.name, "url": pay_url},
    )
    return phone


@require_POST
def send_payment_link(request: HttpRequest) -> HttpResponse:
    """The manager sends the citizen a link to pay this basket by card themselves."""
    territory = _territory(request)
    session = getattr(request, "assisted_session", None)
    if session is None:
        raise Http404("Not acting for a citizen.")
    citizen = request.user
    basket = request.basket
    if request.POST.get("by") == "sms":
        if basket.is_empty:
            messages.error(request, _("The basket is empty: there is nothing to pay."))
            return redirect("basket:summary")
        token = assisted.payment_link_token(citizen, basket.pk, territory)
        pay_url = request.build_absolute_uri(reverse("welfare:assisted-pay", args=[token]))
        phone = _send_sms(request, citizen, pay_url, territory)
        if phone is None:
            messages.error(request, _("The citizen has no phone number for an SMS."))
            return redirect("checkout:payment-details")
        request.assisted_action = (
            AssistedAction.Kind.PAYMENT_LINK,
            _("by SMS to %(phone)s, basket %(basket)s") % {"phone": phone, "basket": basket.pk},
        )
        messages.success(
            request, _("The payment link has been sent by SMS to %(phone)s.") % {"phone": phone}
        )
        return redirect("basket:summary")
    if not citizen.email:
        messages.error(request, _("The citizen has no e-mail address: the link cannot be sent."))
        return redirect("checkout:payment-details")
    if basket.is_empty:
        messages.error(request, _("The basket is empty: there is nothing to pay."))
        return redirect("basket:summary")
    token = assisted.payment_link_token(citizen, basket.pk, territory)
    with translation.override(translation.get_language() or "it"):
        pay_url = request.build_absolute_uri(reverse("welfare:assisted-pay", args=[token]))
        reset_url = request.build_absolute_uri(reverse("password-reset"))
        body = render_to_string(
            "welfare/email/payment_link.txt",
            {
                "citizen": citizen,
                "manager": request.assisted_manager,
                "basket": basket,
                "pay_url": pay_url,
                "reset_url": reset_url,
                "territory": territory,
                "days": assisted.PAYMENT_LINK_DAYS,
            },
        )
        EmailMessage(
            subject=_("Pay your order on %(portal)s") % {"portal": territory.name},
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[citizen.email],
        ).send()
    request.assisted_action = (
        AssistedAction.Kind.PAYMENT_LINK,
        _("to %(email)s, basket %(basket)s") % {"email": citizen.email, "basket": basket.pk},
    )
    messages.success(
        request, _("The payment link has been sent to %(email)s.") % {"email": citizen.email}
    )
    return redirect("basket:summary")


def pay(request: HttpRequest, token: str) -> HttpResponse:
    """The citizen's payment link: after signing in, to the checkout of their basket."""
    territory = _territory(request)
    data = assisted.read_payment_link(token)
    if data is None or data.get("t") != territory.pk:
        raise Http404("No such payment link.")
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if getattr(request, "assisted_session", None) is not None or request.user.pk != data["u"]:
        raise Http404("This payment link is someone else's.")
    if request.basket.is_empty:
        messages.info(request, _("Your basket is empty: this order has been paid or changed."))
        return redirect("basket:summary")
    if request.basket.pk != data["b"]:
        messages.info(request, _("Your basket has changed since the link was sent: check it."))
        return redirect("basket:summary")
    return redirect("checkout:index")


@login_required
@require_http_methods(["GET", "POST"])
def my_assisted_actions(request: HttpRequest) -> HttpResponse:
    """ "Operazioni fatte per tuo conto": every request a manager made for me on this portal."""
    territory = _territory(request)
    if request.method == "POST":  # withdraw the consent (the manager acting cannot)
        if getattr(request, "assisted_session", None) is not None:
            raise Http404("Not while acting.")
        if assisted.withdraw_consent(territory, request.user):
            messages.success(request, _("Your consent has been withdrawn."))
        return redirect("welfare:my-assisted-actions")
    rows = list(
        AssistedAction.objects.filter(territory=territory, citizen=request.user)[:ACTIONS_PAGE_SIZE]
    )
    return TemplateResponse(
        request,
        "welfare/my_assisted_actions.html",
        {
            "page_title": _("Done on your behalf"),
            "active_tab": "assisted",
            "rows": rows,
            "limit": ACTIONS_PAGE_SIZE,
            "consent": assisted.valid_consent(territory, request.user),
        },
    )
