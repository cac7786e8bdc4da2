"""A new password unlocks its account: whoever chose it (through the reset e-mail, their
account page or the admin) controls it, so the failed tries of a guesser no longer count."""

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.db.models.signals import pre_save
from django.dispatch import receiver

from .lockout import username_of


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def unlock_on_new_password(sender, instance, update_fields=None, **kwargs) -> None:
    if instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    stored = sender._default_manager.filter(pk=instance.pk).values_list("password", flat=True)
    if stored.first() not in (None, instance.password):
        for name in {instance.email, instance.get_username()} - {""}:
            AxesProxyHandler.reset_attempts(username=username_of(None, {"username": name}))
