"""Stock alerts, each portal listing and accepting alerts for its own services only."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext
from oscar.apps.customer.alerts import views as core
from oscar.apps.customer.alerts.views import *  # noqa: F403
from oscar.core.loading import get_class

from shop.customer.offered import saved_here
from shop.customer.wishlists.views import offered_product_or_404


class ProductAlertListView(core.ProductAlertListView):
    def get_queryset(self):
        return saved_here(super().get_queryset(), getattr(self.request, "territory", None))


class ProductAlertCreateView(core.ProductAlertCreateView):
    def get(self, request, *args, **kwargs):
        offered_product_or_404(request, self.kwargs["pk"])
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        offered_product_or_404(request, self.kwargs["pk"])
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        if form.already_asked:
            # the answer a new alert gets (Oscar's words), and no second e-mail to the address
            messages.success(
                self.request,
                gettext("A confirmation email has been sent to %s") % form.cleaned_data["email"],
            )
            return redirect(self.product.get_absolute_url())
        self.object = form.save()
        if self.object.is_anonymous:
            # with the request, which Oscar's own call leaves out: the portal's dispatcher
            # needs it for the site, the portal and the links' host
            get_class(
                "customer.alerts.utils", "AlertsDispatcher"
            )().send_product_alert_confirmation_email_for_user(
                self.object, {"alert": self.object, "request": self.request}
            )
        return redirect(self.get_success_url())
