import oscar.apps.catalogue.apps as apps


class CatalogueConfig(apps.CatalogueConfig):
    name = "shop.catalogue"

    def ready(self):
        super().ready()
        from . import richtext

        richtext.connect()
        _stop_recording_product_views()


def _stop_recording_product_views() -> None:
    """Oscar's analytics writes three rows on every product page a citizen opens (the
    product's view counter, the citizen's, and a row naming the citizen and the service).

    Dropped, not deferred: a row per citizen per welfare service looked at is the profiling
    the privacy notice says the portal does not do, and nobody reads it; the product's counter
    is a write on one hot row under every concurrent viewer, for a figure no one uses. What
    the dashboard's product report counts besides (basket additions, purchases) is still
    recorded, on those actions.
    """
    from oscar.apps.analytics.receivers import receive_product_view
    from oscar.apps.catalogue.signals import product_viewed

    product_viewed.disconnect(receive_product_view)
