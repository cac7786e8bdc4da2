"""While a welfare manager acts for a citizen: the citizen is ``request.user`` (portal/welfare/
assisted.py says why and how). Sits after the messages middleware and before the basket's, so
the basket, wallets, vouchers and prices are the citizen's. One query to read the session,
one insert to log the request.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from portal.defaults import setting
from portal.security.csp import is_staff_path

from . import assisted
from .models import AssistedAction, AssistedSession

K = AssistedAction.Kind

# What the manager may never do as the citizen: their sign-in, e-mail, account, two-factor,
# and the card (the citizen pays by card themselves, from a payment link).
REFUSED_VIEWS = {
    "customer:change-password",
    "customer:profile-update",
    "customer:profile-delete",
    "customer:email-change-confirm",
    "customer:logout",
    "password-reset",
    "checkout:card-setup",
    "checkout:card-pay",
    "checkout:card-return",
}
REFUSED_NAMESPACES = {"security"}
# Passing through without being logged as pages: the banner's own stop and the assets.
QUIET_VIEWS = {"welfare:assisted-stop", "welfare:assisted-enter"}


def is_page(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith("text/html") and (
        response.status_code < 300 or response.status_code >= 400
    )


class AssistedModeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        pk = request.session.get(assisted.SESSION_KEY) if hasattr(request, "session") else None
        if pk is None or not request.user.is_authenticated:
            return self.get_response(request)
        territory = getattr(request, "territory", None)
        session = (
            AssistedSession.objects.select_related("citizen", "manager", "social_point")
            .filter(pk=pk, manager=request.user, territory=territory)
            .first()
        )
        if session is None or not assisted.is_open(session):
            del request.session[assisted.SESSION_KEY]
            if session is not None:  # past its 30 minutes, or ended elsewhere (withdrawn)
                expired = assisted.end_session(session)
                request.session[assisted.ENDED_KEY] = "expired" if expired else "stopped"
            return HttpResponseRedirect(reverse("welfare:assisted-stop"))
        request.assisted_session = session
        request.assisted_manager = request.user
        request.assisted_minutes_left = max(
            int(
                (
                    session.started_at
                    + timezone.timedelta(minutes=assisted.SESSION_MINUTES)
                    - timezone.now()
                ).total_seconds()
                // 60
            ),
            0,
        )
        request.assisted_sms = bool(setting("PORTAL_SMS_BACKEND"))  # the payment page's option
        request.user = session.citizen
        order_before = request.session.get("checkout_order_id")
        response = self.get_response(request)
        self.record(request, response, session, order_before)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(request, "assisted_session", None) is None:
            return None
        match = request.resolver_match
        if (
            match.view_name in REFUSED_VIEWS
            or set(match.namespaces) & REFUSED_NAMESPACES
            or match._func_path.endswith("LogoutView")  # Oscar's logout has no URL name
            or is_staff_path(request.path_info)
        ):
            request.assisted_action = (K.REFUSED, match.view_name)
            return TemplateResponse(
                request,
                "welfare/assisted_refused.html",
                {"page_title": assisted.refused_title()},
                status=403,
            )
        return None

    @staticmethod
    def record(request, response, session, order_before) -> None:
        """One row for the request: what the view said it did, or what the request was."""
        match = getattr(request, "resolver_match", None)
        if match is not None and match.view_name in QUIET_VIEWS:
            return
        kind, detail = getattr(request, "assisted_action", (None, ""))
        if kind is None and request.method == "GET" and not is_page(response):
            return  # an image, a style sheet, a JSON answer: not a page seen
        if kind is None:
            order_after = request.session.get("checkout_order_id")
            namespace = match.namespace if match else ""
            if order_after and order_after != order_before:
                kind, detail = K.ORDER, assisted.order_number(order_after)
            elif request.method != "POST":
                kind = K.PAGE
            elif namespace == "basket" or (match and match.view_name == "giftcards:apply"):
                kind = K.BASKET
            elif namespace == "programmes" and response.status_code in (301, 302, 303):
                kind, detail = K.APPLICATION, assisted.mark_applications(session)
            else:
                kind = K.OTHER
        assisted.log(session, kind, path=request.path, detail=detail)
