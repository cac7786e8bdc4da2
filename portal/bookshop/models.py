"""Reading tips of the territory's bookshop, and the reservations people make from them."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

from portal.content.models import BasePage

from .isbn import format_isbn13, normalise_isbn, validate_isbn


class AgeRange(models.TextChoices):
    TODDLERS = "0-5", _("0–5 years")
    CHILDREN = "6-10", _("6–10 years")
    TEENS = "11-14", _("11–14 years")
    YOUNG = "15-18", _("15–18 years")
    ADULTS = "adults", _("Adults")
    ALL = "all", _("All ages")


class ReadingTipPage(BasePage):
    """A book the local bookshop recommends, with the editor's review.

    It exists because the bookshop is one of the portal's cooperatives: a reader can reserve
    the book from here (the reservation reaches the bookshop by e-mail and in its admin
    list) or give a gift voucher to spend there.
    """

    book_title = models.CharField(_("book title"), max_length=200)
    author = models.CharField(_("author"), max_length=200)
    publisher = models.CharField(_("publisher"), max_length=120, blank=True)
    isbn = models.CharField(
        _("ISBN"),
        max_length=17,
        validators=[validate_isbn],
        help_text=_("ISBN-13, hyphens allowed; an ISBN-10 is converted."),
    )
    cover = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cover"),
    )
    age_range = models.CharField(
        _("age range"), max_length=10, choices=AgeRange.choices, default=AgeRange.ALL
    )

    content_panels = BasePage.content_panels[:1] + [
        MultiFieldPanel(
            [
                FieldPanel("book_title"),
                FieldRowPanel([FieldPanel("author"), FieldPanel("publisher")]),
                FieldRowPanel([FieldPanel("isbn"), FieldPanel("age_range")]),
                FieldPanel("cover"),
            ],
            heading=_("Book"),
        ),
        FieldPanel("intro"),
        FieldPanel("body", heading=_("Review")),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("book_title"),
        index.SearchField("author"),
        index.FilterField("isbn"),
    ]
    parent_page_types = ["content.ReadingTipIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("reading tip")
        verbose_name_plural = _("reading tips")

    def clean(self):
        super().clean()
        if self.isbn:
            try:
                self.isbn = normalise_isbn(self.isbn)
            except ValidationError:
                pass  # the field's validator has already reported it

    @property
    def isbn_display(self) -> str:
        return format_isbn13(self.isbn)

    def serve(self, request, *args, **kwargs):
        from .views import serve_reading_tip

        return serve_reading_tip(self, request, *args, **kwargs)


class Bookshop(models.Model):
    """Which cooperative of a territory is its bookshop (the spec's ``bookshop = true``).

    Written by the generator; reservations of the territory's reading tips go to it.
    """

    territory = models.OneToOneField(
        "territories.Territory", on_delete=models.CASCADE, related_name="bookshop"
    )
    partner = models.ForeignKey(
        "partner.Partner", on_delete=models.CASCADE, related_name="bookshop_of"
    )

    class Meta:
        verbose_name = _("bookshop")

    def __str__(self) -> str:
        return self.partner.name


class Reservation(models.Model):
    """A book someone asked the bookshop to keep for them, from a reading tip."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        CONFIRMED = "confirmed", _("Confirmed")
        READY = "ready", _("Ready to collect")
        COLLECTED = "collected", _("Collected")
        CANCELLED = "cancelled", _("Cancelled")

    territory = models.ForeignKey(
        "territories.Territory",
        on_delete=models.CASCADE,
        related_name="reservations",
        verbose_name=_("territory"),
    )
    bookshop = models.ForeignKey(
        "partner.Partner",
        on_delete=models.PROTECT,
        related_name="reservations",
        verbose_name=_("bookshop"),
    )
    tip = models.ForeignKey(
        ReadingTipPage,
        on_delete=models.SET_NULL,
        null=True,
        related_name="reservations",
        verbose_name=_("reading tip"),
    )
    book_title = models.CharField(_("book"), max_length=200)
    isbn = models.CharField(_("ISBN"), max_length=13)
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    # The reservation form carries this key: a second submit of the same form is the same
    # reservation, not a new one (and sends no second e-mail).
    submission_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("book reservation")
        verbose_name_plural = _("book reservations")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.book_title} — {self.name}"
