"""Catalogue, category and search pages from the database, scoped to the request's territory.

Oscar's stock views go through haystack, whose "simple" backend lists nothing (Oscar issue
#4366) and whose engines would add a network round-trip to every listing. A territory sells
tens of services, not millions: a scoped, prefetched queryset is both correct and fast.
"""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView
from oscar.core.loading import get_model

from portal.defaults import setting
from shop.catalogue.facets import FACETS
from shop.catalogue.scoping import categories_offered_in, offered_in

Category = get_model("catalogue", "Category")


class ServiceListView(ListView):
    """All services the territory offers, optionally matching ``?q=``."""

    context_object_name = "products"
    template_name = "oscar/catalogue/browse.html"
    summary = _("All services")

    def get_paginate_by(self, queryset):
        return setting("PORTAL_PRODUCTS_PER_PAGE")

    def selected_facets(self) -> dict[str, list[str]]:
        """``?audience=children&delivery=online``: the known values asked for, per facet."""
        return {f.param: f.clean(self.request.GET.getlist(f.param)) for f in FACETS}

    def get_queryset(self) -> QuerySet:
        products = offered_in(self.request.territory)
        query = self.request.GET.get("q", "").strip()
        if query:
            products = products.filter(Q(title__icontains=query) | Q(description__icontains=query))
        selected = self.selected_facets()
        for facet in FACETS:  # OR within a facet, AND across facets
            if selected[facet.param]:
                products = products.filter(facet.q(selected[facet.param]))
        return products.order_by("title", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["summary"] = self.summary
        context["query"] = self.request.GET.get("q", "").strip()
        context["facets"], context["active_filters"] = self.facet_context()
        context["categories"] = categories_offered_in(self.request.territory)
        return context

    def facet_context(self) -> tuple[list[dict], list[dict]]:
        """The filter form's choices, and the active filters each with a link removing it."""
        selected = self.selected_facets()
        facets, active = [], []
        for facet in FACETS:
            choices = []
            for code, label in facet.choices.items():
                checked = code in selected[facet.param]
                choices.append({"value": code, "label": label, "checked": checked})
                if checked:
                    params = self.request.GET.copy()
                    params.setlist(facet.param, [v for v in selected[facet.param] if v != code])
                    params.pop("page", None)
                    active.append({"label": label, "remove_query": params.urlencode()})
            facets.append({"param": facet.param, "legend": facet.legend, "choices": choices})
        return facets, active


class CatalogueView(ServiceListView):
    pass


class FacetedSearchView(ServiceListView):
    """The shop's search box: the same scoped listing, with the query echoed back."""

    template_name = "oscar/search/results.html"
    summary = _("Search results")


class ProductCategoryView(ServiceListView):
    template_name = "oscar/catalogue/category.html"

    def get(self, request, *args, **kwargs):
        self.category = get_object_or_404(Category, pk=kwargs["pk"], is_public=True)
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet:
        categories = self.category.get_descendants_and_self()
        return super().get_queryset().filter(categories__in=categories).distinct()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["category"] = self.category
        context["summary"] = self.category.name
        return context
