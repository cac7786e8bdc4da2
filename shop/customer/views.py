"""The account pages: registration confirmed by e-mail, and the portal's own orders and
e-mails.

Registering (the login-or-register page, the registration page the checkout sends a new
customer to) always answers "check your e-mail" (``signup.py``).

A citizen signed in on Napoli sees, opens and re-orders Napoli's orders; a Sondrio order is
a 404 there (re-ordering it would put a service of another territory in Napoli's basket).
"""

from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.views import generic
from oscar.apps.customer import views as core
from oscar.apps.customer.views import *  # noqa: F403
from oscar.core.loading import get_model

from portal.defaults import setting
from shop.communication.portals import sent_on

from . import email_change, signup

Order = get_model("order", "Order")
Line = get_model("order", "Line")


def own_orders(request):
    """The signed-in person's orders placed on this request's portal."""
    return Order._default_manager.filter(
        user=request.user, territory=getattr(request, "territory", None)
    )


class OrderHistoryView(core.OrderHistoryView):
    def get_queryset(self):
        # each row shows its number of items (Order.num_items reads order.lines.all())
        return (
            super()
            .get_queryset()
            .filter(territory=getattr(self.request, "territory", None))
            .prefetch_related("lines")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["other_portals"] = other_portals(
            self.request, Order._default_manager.filter(user=self.request.user)
        )
        return context


class OrderDetailView(core.OrderDetailView):
    def get_object(self, queryset=None):
        # each line shows who it is for (its booking) and links to its service
        lines = Prefetch(
            "lines",
            queryset=Line._default_manager.select_related("booking", "product").order_by("pk"),
        )
        return get_object_or_404(
            own_orders(self.request).prefetch_related(lines), number=self.kwargs["order_number"]
        )


class OrderLineView(core.OrderLineView):
    def get_object(self, queryset=None):
        order = get_object_or_404(own_orders(self.request), number=self.kwargs["order_number"])
        return order.lines.get(id=self.kwargs["line_id"])


# --- sign-up confirmed by e-mail (shop/customer/signup.py) -------------------------------


def signup_sent(request, email: str) -> TemplateResponse:
    """The one answer to every registration, whether or not the address has an account."""
    return TemplateResponse(
        request,
        "oscar/customer/signup_sent.html",
        {"email": email, "hours": setting("PORTAL_SIGNUP_LINK_HOURS")},
    )


def _answer_registration(view, form) -> TemplateResponse:
    data = form.cleaned_data
    signup.request_signup(view.request, data["email"], data["password1"], data["redirect_url"])
    return signup_sent(view.request, data["email"])


class AccountAuthView(core.AccountAuthView):
    """Oscar's login-or-register page; registering answers "check your e-mail"."""

    def get_login_success_url(self, form):
        """Where the form says, else (citizens) the home page in the language signed in in."""
        url = super().get_login_success_url(form)
        if url == settings.LOGIN_REDIRECT_URL:
            from portal.content.templatetags.portal_tags import home_url_of

            return home_url_of(self.request)
        return url

    def validate_registration_form(self):
        form = self.get_registration_form(bind_data=True)
        if form.is_valid():
            return _answer_registration(self, form)
        return self.render_to_response(self.get_context_data(registration_form=form))


class AccountRegistrationView(core.AccountRegistrationView):
    """Oscar's registration page (where the checkout sends a new customer)."""

    def form_valid(self, form):
        return _answer_registration(self, form)


class _EmailedLinkView(generic.View):
    """A link e-mailed to an address: GET shows one button, its POST acts (not on GET: mail
    scanners open every link). A link that does nothing answers ``error_template_name`` with
    its reason and the status ``statuses`` gives it."""

    error_template_name: str
    statuses: dict[str, int]
    hours_setting: str

    def error(self, error) -> TemplateResponse:
        return TemplateResponse(
            self.request,
            self.error_template_name,
            {"reason": error.reason, "hours": setting(self.hours_setting)},
            status=self.statuses[error.reason],
        )


class SignupConfirmView(_EmailedLinkView):
    """The e-mailed link. GET shows one button; its POST creates the account and signs in.

    Not on GET: mail scanners that open every link would use it up, and a page of another
    site could sign a visitor into an account the attacker registered (login CSRF).
    """

    template_name = "oscar/customer/signup_confirm.html"
    error_template_name = "oscar/customer/signup_invalid.html"
    hours_setting = "PORTAL_SIGNUP_LINK_HOURS"
    statuses = {
        signup.SignupLinkError.FORGED: 400,
        signup.SignupLinkError.OTHER_PORTAL: 400,
        signup.SignupLinkError.EXPIRED: 410,
        signup.SignupLinkError.USED: 410,
        signup.SignupLinkError.REGISTERED: 410,
    }

    def get(self, request, token: str):
        try:
            pending = signup.pending_signup(request, token)
        except signup.SignupLinkError as error:
            return self.error(error)
        return TemplateResponse(request, self.template_name, {"email": pending.email})

    def post(self, request, token: str):
        try:
            __, redirect_url = signup.confirm_signup(request, token)
        except signup.SignupLinkError as error:
            return self.error(error)
        messages.success(request, gettext("Welcome! Your account is ready and you are signed in."))
        return redirect(redirect_url or reverse("customer:summary"))


# --- the profile's e-mail, changed from a link e-mailed to the new address ----------------


class ProfileUpdateView(core.ProfileUpdateView):
    """Name and other fields save at once; a new e-mail address only gets a link (or, if it
    has an account, its owner a note), and the page says the same either way."""

    def form_valid(self, form):
        form.save()
        new_email = getattr(form, "new_email", None)
        if new_email:
            email_change.request_email_change(self.request, self.request.user, new_email)
            messages.info(
                self.request,
                gettext(
                    "We have sent a link to %(email)s: your e-mail address changes when "
                    "you open it. Until then it stays %(old)s."
                )
                % {"email": new_email, "old": self.request.user.email},
            )
        else:
            messages.success(self.request, gettext("Profile updated"))
        return redirect(self.get_success_url())


class EmailChangeConfirmView(_EmailedLinkView):
    """The link e-mailed to the new address. GET shows one button; its POST changes the
    address (not on GET: mail scanners open every link)."""

    template_name = "oscar/customer/email_change_confirm.html"
    error_template_name = "oscar/customer/email_change_invalid.html"
    hours_setting = "PORTAL_EMAIL_CHANGE_LINK_HOURS"
    statuses = {
        email_change.EmailChangeLinkError.FORGED: 400,
        email_change.EmailChangeLinkError.OTHER_PORTAL: 400,
        email_change.EmailChangeLinkError.EXPIRED: 410,
        email_change.EmailChangeLinkError.USED: 410,
        email_change.EmailChangeLinkError.TAKEN: 410,
    }

    def get(self, request, token: str):
        try:
            new_email = email_change.pending_email_change(request, token)
        except email_change.EmailChangeLinkError as error:
            return self.error(error)
        return TemplateResponse(request, self.template_name, {"email": new_email})

    def post(self, request, token: str):
        try:
            user = email_change.confirm_email_change(request, token)
        except email_change.EmailChangeLinkError as error:
            return self.error(error)
        messages.success(
            request, gettext("Your e-mail address is now %(email)s.") % {"email": user.email}
        )
        if request.user.is_authenticated and request.user.pk == user.pk:
            return redirect(reverse("customer:profile-view"))
        return redirect(reverse("customer:login"))


Email = get_model("communication", "Email")


def other_portals(request, *querysets) -> list:
    """The other portals where the signed-in person has the history of ``querysets``
    (e-mails, orders): the account links to them instead of showing their rows here."""
    from portal.territories.models import Territory

    here = getattr(request, "territory", None)
    ids = set()
    for queryset in querysets:
        # one row per portal, unsorted: not one per order or e-mail in their date order
        ids.update(
            queryset.exclude(territory=None)
            .order_by()
            .values_list("territory", flat=True)
            .distinct()
        )
    return list(
        Territory.objects.filter(pk__in=ids)
        .exclude(pk=getattr(here, "pk", None))
        .select_related("site")
        .order_by("name")
    )


class EmailHistoryView(core.EmailHistoryView):
    """The e-mails this portal sent; another portal's are listed there, not here."""

    def get_queryset(self):
        return sent_on(super().get_queryset(), getattr(self.request, "territory", None))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["other_portals"] = other_portals(
            self.request, Email._default_manager.filter(user=self.request.user)
        )
        return context


class EmailDetailView(core.EmailDetailView):
    def get_object(self, queryset=None):
        own = sent_on(
            Email._default_manager.filter(user=self.request.user),
            getattr(self.request, "territory", None),
        )
        return get_object_or_404(own, id=self.kwargs["email_id"])
