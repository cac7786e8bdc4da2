"""Catalogue, category and search pages from the database, scoped to the request's territory.

Oscar's stock views go through haystack, whose "simple" backend lists nothing (Oscar issue
#4366) and whose engines would add a network round-trip to every listing. A territory sells
tens of services, not millions: one query on the database is both correct and fast.
"""

from dataclasses import replace
from functools import partial
from math import ceil

from django.core.paginator import Page, Paginator
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from oscar.core.loading import get_model

from portal.defaults import setting
from portal.territories import generations
from shop.catalogue.facets import FACETS
from shop.catalogue.listing import ListingFilter, ListingPage, count, listing_page
from shop.catalogue.scoping import categories_offered_in

Category = get_model("catalogue", "Category")


def result_summary(query: str, page: Page) -> str:
    """What the list shows, in words, for the status line above it: "12 services found for
    “yoga”. Page 1 of 2." (plain text: the template escapes it)."""
    total = page.paginator.count
    if query:
        text = ngettext(
            "%(counter)s service found for “%(query)s”.",
            "%(counter)s services found for “%(query)s”.",
            total,
        ) % {"counter": total, "query": query}
    else:
        text = ngettext("%(counter)s service.", "%(counter)s services.", total) % {"counter": total}
    if page.paginator.num_pages > 1:
        text += " " + gettext("Page %(number)s of %(total)s.") % {
            "number": page.number,
            "total": page.paginator.num_pages,
        }
    return text


class ServiceListView(TemplateView):
    """All services the territory offers, optionally matching ``?q=`` and the facets.

    One query per page (shop/catalogue/listing.py); the side navigation is cached.
    """

    template_name = "oscar/catalogue/browse.html"
    summary = _("All services")

    @cached_property
    def query(self) -> str:
        """``?q=``: the words searched for."""
        return self.request.GET.get("q", "").strip()

    @cached_property
    def selected_facets(self) -> dict[str, list[str]]:
        """``?audience=children&delivery=online``: the known values asked for, per facet."""
        return {f.param: f.clean(self.request.GET.getlist(f.param)) for f in FACETS}

    def listing_filter(self) -> ListingFilter:
        return ListingFilter(query=self.query, facets=self.selected_facets)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.page_of_cards())
        context["summary"] = self.summary
        context["query"] = self.query
        context["result_summary"] = result_summary(self.query, context["page_obj"])
        context["active_filters"] = self.active_filters()
        # Only the side column shows these, and it is a fragment kept per category and
        # filters chosen (browse.html): templates call them when they render it.
        context["facets"] = self.facet_choices
        # the filters chosen, validated: a fragment's key, never the query string itself
        context["facets_key"] = "&".join(
            f"{param}={value}"
            for param, values in sorted(self.selected_facets.items())
            for value in sorted(values)
        )
        context["categories"] = partial(categories_offered_in, self.request.territory)
        return context

    def page_of_cards(self) -> dict:
        """The page asked for (``?page=``) as Django's paginator would give it: a page past
        the end shows the last page, a page that is not a number the first (as news lists)."""
        territory = self.request.territory
        wanted = self.listing_filter()
        per_page = setting("PORTAL_PRODUCTS_PER_PAGE")
        try:
            number = max(1, int(self.request.GET.get("page", 1)))
        except (TypeError, ValueError):
            number = 1

        def fetch(number: int) -> ListingPage:
            return listing_page(territory, wanted, offset=(number - 1) * per_page, limit=per_page)

        page = fetch(number)
        if not page.cards and number > 1:  # past the end: the last page
            number = max(1, ceil(count(territory, wanted) / per_page))
            page = fetch(number)
        # the paginator only does the arithmetic: the cards are already here
        paginator = Paginator(range(page.total), per_page)
        page_obj = paginator.page(number if page.total else 1)
        return {
            "cards": page.cards,
            "paginator": paginator,
            "page_obj": page_obj,
            "is_paginated": paginator.num_pages > 1,
        }

    def facet_choices(self) -> list[dict]:
        """The filter form: each facet with its choices, those asked for checked."""
        selected = self.selected_facets
        return [
            {
                "param": facet.param,
                "legend": facet.legend,
                "choices": [
                    {"value": code, "label": label, "checked": code in selected[facet.param]}
                    for code, label in facet.choices.items()
                ],
            }
            for facet in FACETS
        ]

    def active_filters(self) -> list[dict]:
        """The facet values asked for, each with the query string that removes it."""
        selected = self.selected_facets
        active = []
        for facet in FACETS:
            for code in selected[facet.param]:
                params = self.request.GET.copy()
                params.setlist(facet.param, [v for v in selected[facet.param] if v != code])
                params.pop("page", None)
                active.append({"label": facet.choices[code], "remove_query": params.urlencode()})
        return active


class CatalogueView(ServiceListView):
    pass


class FacetedSearchView(ServiceListView):
    """The shop's search box: the same scoped listing, with the query echoed back."""

    template_name = "oscar/search/results.html"
    summary = _("Search results")


def _public_category(pk) -> tuple[object, list[int]] | None:
    """The public category ``pk`` and the keys of the categories its page lists."""
    category = Category.objects.filter(pk=pk, is_public=True).first()
    if category is None:
        return None
    if category.is_leaf():  # most are: no query for the descendants there are not
        return category, [category.pk]
    return category, list(category.get_descendants_and_self().values_list("pk", flat=True))


class ProductCategoryView(ServiceListView):
    template_name = "oscar/catalogue/category.html"

    def get(self, request, *args, **kwargs):
        # the category and the categories it lists (itself and those below it), kept until
        # the portal's generation changes (categories are the shared catalogue's: saving one
        # renews every portal's, portal/territories/generations.py)
        territory = getattr(request, "territory", None)
        found = generations.remembered(
            "category",
            getattr(territory, "pk", None),
            (kwargs["pk"],),
            partial(_public_category, kwargs["pk"]),
        )
        if found is None:
            raise Http404
        self.category, self.category_ids = found
        return super().get(request, *args, **kwargs)

    def listing_filter(self) -> ListingFilter:
        return replace(super().listing_filter(), category_ids=self.category_ids)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["category"] = self.category
        context["summary"] = self.category.name
        return context
