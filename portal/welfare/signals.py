"""A change to a portal's Social Points makes its cached pages and fragments stale (the home
page shows them): the portal's generation is bumped (portal/territories/generations.py). A
change to a citizen's band, or to a reduction, forgets that the citizen (or anyone) has no
band (portal/welfare/pricing.py)."""

from django.db.models.signals import post_delete, post_save

from portal.territories.generations import invalidate


def _social_point_changed(sender, instance, **kwargs) -> None:
    invalidate(instance.territory_id)


def _citizen_band_changed(sender, instance, **kwargs) -> None:
    from .pricing import forget_citizen

    forget_citizen(instance.citizen_id)


def _reduction_changed(sender, instance, **kwargs) -> None:
    from .pricing import forget_all

    forget_all()


def connect() -> None:
    from .models import CitizenBand, IncomeBand, Reduction, SocialPoint

    for signal in (post_save, post_delete):
        signal.connect(
            _citizen_band_changed,
            sender=CitizenBand,
            dispatch_uid=f"welfare-citizen-band-{signal is post_save}",
        )
        for model in (Reduction, IncomeBand):
            signal.connect(
                _reduction_changed,
                sender=model,
                dispatch_uid=f"welfare-{model.__name__}-{signal is post_save}",
            )

    for signal in (post_save, post_delete):
        signal.connect(
            _social_point_changed,
            sender=SocialPoint,
            dispatch_uid=f"welfare-social-point-{signal is post_save}",
        )
