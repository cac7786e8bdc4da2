"""The public newsletter pages of a portal: subscribe, confirm, preferences, unsubscribe.

Thin: the work is in ``subscriptions.py``. The unsubscribe address is CSRF-exempt on its
own, as RFC 8058 requires (a mail program's one-click POST has no cookie and no token): it
is safe because its signed token names the subscriber, and unsubscribing twice changes
nothing.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from portal.defaults import setting

from . import subscriptions
from .forms import PreferencesForm, SubscribeForm
from .subscriptions import LinkError


def _territory(request: HttpRequest):
    territory = getattr(request, "territory", None)
    if territory is None:
        raise Http404("Newsletters belong to a portal.")
    return territory


def _invalid(request: HttpRequest, error: LinkError) -> TemplateResponse:
    return TemplateResponse(
        request,
        "newsletters/invalid_link.html",
        {"reason": error.reason, "hours": setting("PORTAL_NEWSLETTER_LINK_HOURS")},
        status=410 if error.reason == LinkError.EXPIRED else 404,
    )


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    territory = _territory(request)
    initial = {"language": translation.get_language()}
    form = SubscribeForm(request.POST or None, territory=territory, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        subscriptions.request_subscription(
            request, data["email"], data["interests"], data["language"]
        )
        return TemplateResponse(request, "newsletters/sent.html", {"email": data["email"]})
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "newsletters/subscribe.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (a mail program that opens links to check them confirms nothing); POST
    confirms."""
    _territory(request)
    try:
        if request.method == "POST":
            subscriber = subscriptions.confirm_subscription(request, token)
            return TemplateResponse(
                request, "newsletters/confirmed.html", {"subscriber": subscriber}
            )
        data = subscriptions.read_confirmation(request, token)
    except LinkError as error:
        return _invalid(request, error)
    return TemplateResponse(request, "newsletters/confirm.html", {"email": data["e"]})


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest, token: str) -> HttpResponse:
    territory = _territory(request)
    try:
        subscriber = subscriptions.subscriber_for(request, token)
    except LinkError as error:
        return _invalid(request, error)
    initial = {
        "interests": subscriber.interest_codes(),
        "language": subscriber.language,
        "paused": subscriber.status == subscriber.Status.PAUSED,
    }
    form = PreferencesForm(request.POST or None, territory=territory, initial=initial)
    saved = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        subscriptions.update_preferences(
            subscriber, data["interests"], data["language"], data["paused"]
        )
        saved = True
    return TemplateResponse(
        request,
        "newsletters/preferences.html",
        {
            "form": form,
            "subscriber": subscriber,
            "saved": saved,
            "unsubscribe_token": token,
        },
        status=400 if request.method == "POST" and not form.is_valid() else 200,
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mails' List-Unsubscribe address. A mail program's one-click POST
    (``List-Unsubscribe=One-Click``) unsubscribes and gets no page; the link in the e-mail
    shows a button whose POST unsubscribes and shows that it is done."""
    _territory(request)
    try:
        subscriber = subscriptions.subscriber_for(request, token)
    except LinkError as error:
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(status=404)
        return _invalid(request, error)
    if request.method == "POST":
        subscriptions.unsubscribe(subscriber, reason="one-click" if _one_click(request) else "link")
        if _one_click(request):
            return HttpResponse(status=200)
        return TemplateResponse(request, "newsletters/unsubscribed.html", {"done": True})
    return TemplateResponse(
        request, "newsletters/unsubscribed.html", {"done": False, "subscriber": subscriber}
    )


def _one_click(request: HttpRequest) -> bool:
    return request.POST.get("List-Unsubscribe") == "One-Click"
