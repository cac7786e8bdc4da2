"""A change to a portal's Social Points makes its cached pages and fragments stale (the home
page shows them): the portal's generation is bumped (portal/territories/generations.py)."""

from django.db.models.signals import post_delete, post_save

from portal.territories.generations import invalidate


def _social_point_changed(sender, instance, **kwargs) -> None:
    invalidate(instance.territory_id)


def connect() -> None:
    from .models import SocialPoint

    for signal in (post_save, post_delete):
        signal.connect(
            _social_point_changed,
            sender=SocialPoint,
            dispatch_uid=f"welfare-social-point-{signal is post_save}",
        )
