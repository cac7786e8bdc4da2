"""The checkout of services: index → [booking details] → card payment → thank you.

No shipping steps (services are not shipped). The payment page collects the card with
Stripe.js's Card Element; the browser talks to three small JSON endpoints here:

1. ``card-setup``: a Stripe Customer and SetupIntent, whose secret the browser confirms
   (``confirmCardSetup``);
2. ``card-pay``: with the confirmed payment method, the basket is frozen and a PaymentIntent
   created and confirmed (idempotency key); it succeeds, is declined, or asks for 3-D Secure
   (the browser then calls ``confirmCardPayment``);
3. ``card-return``: the page the browser lands on afterwards; it reads the PaymentIntent
   from Stripe and fulfils the order (so does the webhook: exactly once, see
   ``shop.payment.fulfilment``).
"""

import logging
from decimal import Decimal
from urllib.parse import urlencode

import stripe
from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import generic
from oscar.apps.checkout import views as core_views
from oscar.core.loading import get_class

from portal.defaults import setting
from shop.payment import gateway, tender
from shop.payment.fulfilment import fulfil, mark_failed, settle_unfinished
from shop.payment.models import StripePayment

from .session import first_step_url

CheckoutSessionMixin = get_class("checkout.session", "CheckoutSessionMixin")
UnableToTakePayment = get_class("payment.exceptions", "UnableToTakePayment")
logger = logging.getLogger(__name__)

PAYMENT = "payment"  # our namespace in Oscar's checkout session


def declined_message() -> str:
    return _("Your card was declined. No payment has been taken: please try another card.")


def authentication_failed_message() -> str:
    return _("The card's security check (3-D Secure) did not succeed. No payment has been taken.")


def not_set_up_message() -> str:
    return _("The card could not be verified. No payment has been taken.")


def unavailable_message() -> str:
    return _(
        "The payment service is not answering. No payment has been taken: please try again "
        "in a few minutes."
    )


def vouchers_changed_message() -> str:
    return _("A gift voucher no longer covers its share: please check your vouchers in the basket.")


def wallets_changed_message() -> str:
    return _(
        "Your programme credit changed since this page was shown (its balance or its expiry). "
        "Nothing has been charged: please check what it pays now."
    )


def bands_changed_message() -> str:
    return _(
        "The prices changed since this page was shown: your income band's reduction no "
        "longer applies as it did (the band expired or its fund ran out). Nothing has been "
        "charged: please check the new amounts."
    )


def bands_as_shown(request, plan: tender.Tender) -> bool:
    """Whether the income band reductions are still what the payment page showed (its
    ``bands`` field; a client that sends none is not checked)."""
    shown = request.POST.get("bands")
    return shown is None or shown == (plan.bands.token if plan.bands else "")


def tender_changed_message(error: Exception) -> str:
    if isinstance(error, tender.BandsChanged):
        return bands_changed_message()
    if isinstance(error, tender.WalletsChanged):
        return wallets_changed_message()
    return vouchers_changed_message()


def wallets_as_shown(request, plan: tender.Tender) -> bool:
    """Whether the wallets still pay what the payment page showed (its ``wallets`` field;
    a client that sends none is not checked)."""
    shown = request.POST.get("wallets")
    return shown is None or shown == (plan.wallets.token if plan.wallets else "")


def prices_changed(request) -> JsonResponse:
    """Nothing charged: the payment page is shown again with the new amounts and why."""
    messages.warning(request, bands_changed_message())
    return JsonResponse(
        {"error": bands_changed_message(), "reload": reverse("checkout:payment-details")},
        status=409,
    )


def json_error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


class IndexView(core_views.IndexView):
    """Sign in or give an e-mail, then straight to the first step (no shipping). A new
    customer registers first: the confirmation link brings them back to that step, signed
    in, with their basket (``shop.customer.signup``)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.is_new_account_checkout():
            query = urlencode({"next": first_step_url(), "email": form.cleaned_data["username"]})
            return redirect(f"{reverse('customer:register')}?{query}")
        return response

    def get_success_url(self):
        return first_step_url()


class SkippedStepView(CheckoutSessionMixin, generic.View):
    """Oscar's shipping steps and payment-method step: not for services."""

    def get(self, request, *args, **kwargs):
        return redirect(first_step_url())

    post = get


ShippingAddressView = SkippedStepView
ShippingMethodView = SkippedStepView
PaymentMethodView = SkippedStepView


class PaymentDetailsView(core_views.PaymentDetailsView):
    """The payment page: order summary, what wallets and vouchers pay, the card for the rest.

    When vouchers or wallets pay everything (or the total is zero) no card is asked: the
    page posts ``action=place_order`` to ``checkout:preview`` instead.
    """

    template_name = "oscar/checkout/payment_details.html"
    template_name_preview = "oscar/checkout/payment_details.html"

    pre_conditions = [
        "check_basket_is_not_empty",
        "check_basket_is_valid",
        "check_user_email_is_captured",
        "check_shipping_data_is_captured",
        "check_bookings_are_complete",
    ]

    def get_skip_conditions(self, request):
        return []

    def tender_for(self, submission) -> tender.Tender:
        total = submission["order_total"].incl_tax if submission["order_total"] else Decimal(0)
        return tender.plan(self.request, submission["basket"], total)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["tender"] = self.tender_for(ctx)
        ctx["stripe_js_url"] = gateway.stripe_js_url()
        ctx["stripe_publishable_key"] = settings.STRIPE_PUBLISHABLE_KEY
        ctx["has_booking_step"] = "checkout:booking-details" in setting("PORTAL_CHECKOUT_STEPS")
        ctx["messages_for_script"] = {
            "declined": declined_message(),
            "authentication": authentication_failed_message(),
            "not_set_up": not_set_up_message(),
            "unavailable": unavailable_message(),
            "incomplete": _("Please complete the card details."),
            "processing": _("Payment in progress, please wait…"),
        }
        return ctx

    # The no-card path (vouchers pay everything): Oscar's submit, refused if a card is due.
    def handle_payment(self, order_number, total, **kwargs):
        plan = tender.plan(self.request, self.request.basket, total.incl_tax)
        if not bands_as_shown(self.request, plan):
            raise UnableToTakePayment(bands_changed_message())
        if not wallets_as_shown(self.request, plan):
            raise UnableToTakePayment(wallets_changed_message())
        if plan.card > 0:
            raise UnableToTakePayment(_("This order must be paid by card."))
        try:
            tender.hold(order_number, plan, self.request.basket.territory)
        except tender.VouchersChanged as error:
            raise UnableToTakePayment(tender_changed_message(error)) from error
        for source in tender.paid_sources(order_number):
            self.add_payment_source(source)

    def handle_successful_order(self, order):
        tender.capture(order.number)
        tender.forget(self.request)
        return super().handle_successful_order(order)

    def checkout_data(self) -> dict:
        return dict(self.request.session.get("checkout_data", {}))


class CardSetupView(PaymentDetailsView):
    """POST: a Customer and a SetupIntent for this checkout; answers the client secret."""

    def post(self, request, *args, **kwargs):
        submission = self.build_submission()
        if self.tender_for(submission).card <= 0:
            return json_error(_("No card payment is needed for this order."), 400)
        email = request.user.email if request.user.is_authenticated else None
        email = email or self.checkout_session.get_guest_email() or ""
        try:
            setup = gateway.start_card_setup(email, reference=f"basket-{request.basket.id}")
        except stripe.StripeError:
            logger.exception("Stripe: cannot start a card setup")
            return json_error(unavailable_message(), 502)
        self.checkout_session._set(
            PAYMENT,
            "card_setup",
            {"customer": setup.customer_id, "setup_intent": setup.setup_intent_id},
        )
        return JsonResponse({"client_secret": setup.client_secret})


class CardPaymentView(PaymentDetailsView):
    """POST ``payment_method``: charge the card set up in this checkout, once."""

    def post(self, request, *args, **kwargs):
        setup = self.checkout_session._get(PAYMENT, "card_setup")
        payment_method = request.POST.get("payment_method", "")
        if not setup:
            return json_error(not_set_up_message(), 400)
        try:
            gateway.confirmed_setup(setup["setup_intent"], payment_method)
        except gateway.SetupNotConfirmed as error:
            logger.info("Card not charged: %s", error)
            return json_error(not_set_up_message(), 400)
        except stripe.StripeError:
            logger.exception("Stripe: cannot read the SetupIntent")
            return json_error(unavailable_message(), 502)

        basket = request.basket
        submission = self.build_submission()
        order_number = self.generate_order_number(basket)
        if response := self.settle_previous_attempt(order_number):
            return response
        plan = self.tender_for(submission)
        if not bands_as_shown(request, plan):
            return prices_changed(request)
        if not wallets_as_shown(request, plan):
            return json_error(wallets_changed_message(), 409)
        if plan.card <= 0:
            return json_error(_("No card payment is needed for this order."), 400)
        checkout_data = self.checkout_data()
        try:
            with transaction.atomic():
                payment = StripePayment.objects.create(
                    setup_intent_id=setup["setup_intent"],
                    customer_id=setup["customer"],
                    payment_method_id=payment_method,
                    order_number=order_number,
                    basket=basket,
                    user=request.user if request.user.is_authenticated else None,
                    guest_email=submission["order_kwargs"].get("guest_email") or "",
                    territory=basket.territory,
                    site=self.current_site(),
                    language=translation.get_language() or "",
                    amount=plan.card,
                    currency=basket.currency or settings.OSCAR_DEFAULT_CURRENCY,
                    checkout_data=checkout_data,
                )
                tender.hold(order_number, plan, basket.territory)
        except IntegrityError:
            return json_error(_("A payment for this basket is already in progress."), 409)
        except tender.BandsChanged:
            return prices_changed(request)
        except tender.VouchersChanged as error:
            return json_error(tender_changed_message(error), 409)

        self.checkout_session.set_order_number(order_number)
        self.freeze_basket(basket)
        self.checkout_session.set_submitted_basket(basket)
        try:
            intent = gateway.charge(
                customer_id=payment.customer_id,
                payment_method_id=payment_method,
                amount=plan.card,
                currency=payment.currency,
                order_number=order_number,
                idempotency_key=f"charge-{order_number}-{payment.setup_intent_id}",
            )
        except stripe.CardError as error:
            self.abandon(payment, error.code or "card_declined", error)
            return json_error(declined_message(), 402)
        except stripe.StripeError as error:
            logger.exception("Stripe: the charge did not go through")
            self.abandon(payment, "stripe_error", error)
            return json_error(unavailable_message(), 502)
        payment.payment_intent_id = intent.id
        payment.save(update_fields=["payment_intent_id", "updated"])
        return self.answer(payment, intent)

    def current_site(self):
        from django.contrib.sites.shortcuts import get_current_site

        return get_current_site(self.request)

    def answer(self, payment: StripePayment, intent) -> JsonResponse:
        if intent.status == "succeeded":
            order = fulfil(intent, self.request)
            finish_checkout(self.request, self.checkout_session, order)
            return JsonResponse({"redirect": reverse("checkout:thank-you")})
        if intent.status in ("requires_action", "processing"):
            return JsonResponse(
                {
                    "requires_action": intent.status == "requires_action",
                    "client_secret": intent.client_secret,
                    "return_url": return_url(intent.id),
                }
            )
        self.abandon(payment, intent.status, None)
        return json_error(declined_message(), 402)

    def abandon(self, payment: StripePayment, code: str, error) -> None:
        """No charge happened: mark the attempt failed, release holds, thaw the basket."""
        intent = getattr(error, "error", None) and getattr(error.error, "payment_intent", None)
        if intent is not None and not payment.payment_intent_id:
            payment.payment_intent_id = getattr(intent, "id", None)
        mark_failed(payment, code)
        self.restore_frozen_basket()

    def settle_previous_attempt(self, order_number: str):
        """A live earlier attempt for this basket (3-D Secure left open): settle it first."""
        previous = (
            StripePayment.objects.filter(order_number=order_number)
            .exclude(status=StripePayment.Status.FAILED)
            .first()
        )
        if previous is None:
            return None
        if previous.order_id:
            return JsonResponse({"redirect": reverse("checkout:thank-you")})
        if previous.payment_intent_id:
            try:
                intent = gateway.payment_intent(previous.payment_intent_id)
            except stripe.StripeError:
                return json_error(unavailable_message(), 502)
            if intent.status == "succeeded":
                order = fulfil(intent, self.request)
                finish_checkout(self.request, self.checkout_session, order)
                return JsonResponse({"redirect": reverse("checkout:thank-you")})
            if intent.status == "processing":
                return json_error(_("A payment for this basket is already in progress."), 409)
        if order := settle_unfinished(previous, "abandoned"):  # it succeeded meanwhile
            finish_checkout(self.request, self.checkout_session, order)
            return JsonResponse({"redirect": reverse("checkout:thank-you")})
        return None


class CardReturnView(CheckoutSessionMixin, generic.View):
    """Where the browser lands after paying: the order, or back to the card with a reason."""

    def get(self, request, *args, **kwargs):
        payment = StripePayment.objects.filter(
            payment_intent_id=request.GET.get("payment_intent", ""),
            basket_id=self.checkout_session.get_submitted_basket_id(),
        ).first()
        if payment is None:
            messages.error(request, _("This payment does not belong to your checkout."))
            return redirect("basket:summary")
        if payment.order_id:
            finish_checkout(request, self.checkout_session, payment.order)
            return redirect("checkout:thank-you")
        try:
            intent = gateway.payment_intent(payment.payment_intent_id)
        except stripe.StripeError:
            messages.error(request, unavailable_message())
            return redirect("checkout:payment-details")
        if intent.status == "succeeded":
            order = fulfil(intent, request)
            finish_checkout(request, self.checkout_session, order)
            return redirect("checkout:thank-you")
        if intent.status == "processing":  # the webhook will place the order
            messages.info(request, _("Your payment is being processed: reload this page soon."))
            return redirect("checkout:payment-details")
        if order := settle_unfinished(payment, "authentication_failed"):
            finish_checkout(request, self.checkout_session, order)
            return redirect("checkout:thank-you")
        messages.error(request, authentication_failed_message())
        return redirect("checkout:payment-details")


def return_url(payment_intent_id: str) -> str:
    return f"{reverse('checkout:card-return')}?payment_intent={payment_intent_id}"


def finish_checkout(request, checkout_session, order) -> None:
    """The thank-you page shows ``order``, whoever placed it (this request or the webhook)."""
    if order is None:
        return
    checkout_session.flush()
    tender.forget(request)
    request.session["checkout_order_id"] = order.id
