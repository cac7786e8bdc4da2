"""Oscar's customer models, and the sign-ups waiting for their e-mail to be confirmed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PendingSignup(models.Model):
    """A registration whose address has not been confirmed yet (``shop.customer.signup``).

    The account is created only when the link e-mailed to ``email`` is followed, so the form
    answers the same whether or not the address already has an account. The password is kept
    here already hashed, never in the link; the link names this row and is signed.
    """

    email = models.EmailField(_("e-mail address"), db_index=True)
    password = models.CharField(_("password"), max_length=128)
    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="+", null=True
    )
    # where the visitor was going (the checkout, when sign-up started there) and their basket
    redirect_url = models.CharField(max_length=500, blank=True)
    basket_id = models.PositiveIntegerField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    confirmed = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("pending sign-up")
        verbose_name_plural = _("pending sign-ups")

    def __str__(self) -> str:
        return self.email


class FamilyMember(models.Model):
    """A relative saved in a citizen's account ("I miei familiari"), offered at the booking step.

    Where they live (``territory``) decides which cooperative serves them (shop/booking/routing).
    Only its owner ever reads or changes it.
    """

    MOTHER, FATHER, SPOUSE, CHILD, GRANDPARENT, SIBLING, OTHER = (
        "mother",
        "father",
        "spouse",
        "child",
        "grandparent",
        "sibling",
        "other",
    )
    RELATIONSHIP_CHOICES = [
        (MOTHER, _("Mother")),
        (FATHER, _("Father")),
        (SPOUSE, _("Spouse or partner")),
        (CHILD, _("Son or daughter")),
        (GRANDPARENT, _("Grandparent")),
        (SIBLING, _("Brother or sister")),
        (OTHER, _("Other relative or person I care for")),
    ]

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="family_members"
    )
    name = models.CharField(_("full name"), max_length=120)
    relationship = models.CharField(_("relationship"), max_length=20, choices=RELATIONSHIP_CHOICES)
    territory = models.ForeignKey(
        "territories.Territory",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("territory where they live"),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("family member")
        verbose_name_plural = _("family members")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relationship_display()})"


from oscar.apps.customer.models import *  # noqa: E402, F403
