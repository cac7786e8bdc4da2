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


from oscar.apps.customer.models import *  # noqa: E402, F403
