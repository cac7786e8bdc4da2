"""Oscar's catalogue dashboard, with the shared services left to the platform (:mod:`.access`).

Scoping is Oscar's own: every product view filters its queryset with
``partner_product_visibility_q`` (ours, in :mod:`.utils`). Here a cooperative's product page
saves its offers only, the product lookup is scoped like the list, and a manager creates
services of the shared catalogue only.
"""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from oscar.apps.dashboard.catalogue import views as core

from shop.catalogue.fixture import SERVICE_CLASS

from .access import changes_offers_only, offer_actions, visible_products_q


class ProductCreateUpdateView(core.ProductCreateUpdateView):
    def get_object(self, queryset=None):
        user = self.request.user
        if not user.is_staff and "pk" not in self.kwargs:
            # Oscar finds the parent of a new package among all products: only visible ones
            if "parent_pk" in self.kwargs:
                get_object_or_404(self.get_queryset(), pk=self.kwargs["parent_pk"])
            elif self.kwargs.get("product_class_slug") != SERVICE_CLASS:
                raise Http404()  # the shared catalogue is of services
        return super().get_object(queryset)

    @property
    def offers_only(self) -> bool:
        return changes_offers_only(self.request.user)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if self.offers_only:  # the service itself is shown, not changed
            for field in form.fields.values():
                field.disabled = True
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["offers_only"] = self.offers_only
        if self.offers_only:
            for name in ("category_formset", "image_formset", "recommended_formset"):
                for form in context[name]:
                    for field in form.fields.values():
                        field.disabled = True
            context["own_packages"] = (
                self.object.children.filter(stockrecords__partner__users=self.request.user)
                .distinct()
                .order_by("title")
            )
        return context

    def process_all_forms(self, form):
        if not self.offers_only:
            return super().process_all_forms(form)
        if self.object.is_parent:  # its offers are on its packages, each with its page
            return HttpResponseRedirect(self.request.path)
        offers = self.stockrecord_formset(
            self.product_class,
            self.request.user,
            self.request.POST,
            self.request.FILES,
            instance=self.object,
        )
        if not offers.is_valid():
            messages.error(self.request, _("Your offers were not saved: correct the errors."))
            return self.render_to_response(
                self.get_context_data(form=form, stockrecord_formset=offers)
            )
        offers.save()
        messages.success(
            self.request,
            _("Your offers of “%(service)s” have been saved.")
            % {"service": self.object.get_title()},
        )
        return HttpResponseRedirect(
            reverse("dashboard:catalogue-product", kwargs={"pk": self.object.pk})
        )

    form_valid = form_invalid = process_all_forms


class ProductBulkActionConfirmView(core.ProductBulkActionConfirmView):
    def dispatch(self, request, *args, **kwargs):
        self.intermediate_actions = offer_actions(request.user, self.intermediate_actions)
        return super().dispatch(request, *args, **kwargs)


class ProductLookupView(core.ProductLookupView):
    def get_queryset(self):
        """The products the user may see in the dashboard, as in the product list."""
        queryset = super().get_queryset()
        if self.request.user.is_staff:
            return queryset
        return queryset.filter(visible_products_q(self.request.user)).distinct()
