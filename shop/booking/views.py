"""The checkout step that asks who each service is for: ``checkout:booking-details``."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from oscar.core.loading import get_class

from .forms import BookingForm
from .models import LineBooking
from .records import save_booking_forms, service_lines

CheckoutSessionMixin = get_class("checkout.session", "CheckoutSessionMixin")


class BookingDetailsView(CheckoutSessionMixin, TemplateView):
    """One form per service line; all valid → saved and on to payment, else nothing saved."""

    template_name = "oscar/checkout/booking_details.html"
    pre_conditions = [
        "check_basket_is_not_empty",
        "check_basket_is_valid",
        "check_user_email_is_captured",
    ]
    success_url_name = "checkout:payment-details"

    def get_forms(self, data=None) -> list[BookingForm]:
        lines = service_lines(self.request.basket)
        existing = {b.basket_line_id: b for b in LineBooking.objects.filter(basket_line__in=lines)}
        return [
            BookingForm(
                data,
                line=line,
                territory=self.request.territory,
                user=self.request.user,
                instance=existing.get(line.pk),
                prefix=f"line-{line.pk}",
            )
            for line in lines
        ]

    def get(self, request, *args, **kwargs):
        forms = self.get_forms()
        if not forms:  # nothing to book (e.g. only gift vouchers)
            return redirect(self.success_url_name)
        return self.render_to_response(self.get_context_data(forms=forms))

    def post(self, request, *args, **kwargs):
        forms = self.get_forms(request.POST)
        if not forms:
            return redirect(self.success_url_name)
        if not all([form.is_valid() for form in forms]):
            messages.error(request, _("Please correct the errors below: nothing was saved."))
            context = self.get_context_data(forms=forms, error_summary=error_summary(forms))
            return self.render_to_response(context, status=400)
        save_booking_forms(forms)
        return redirect(reverse(self.success_url_name))


def error_summary(forms: list[BookingForm]) -> list[dict]:
    """Each error of the booking forms, with the field it is about (its id, to link to it) and
    the service it belongs to: listed above the forms, first thing the page focuses."""
    return [
        {
            "id": form[name].id_for_label if name in form.fields else "",
            "service": form.line.product.get_title(),
            "label": form.fields[name].label if name in form.fields else "",
            "error": error,
        }
        for form in forms
        for name, errors in form.errors.items()
        for error in errors
    ]
