"""The account's notifications, each portal showing (and changing) only its own."""

from oscar.apps.communication.notifications import views as core
from oscar.apps.communication.notifications.views import *  # noqa: F403

from shop.communication.portals import sent_on


class _OwnPortal:
    def get_queryset(self):
        return sent_on(super().get_queryset(), getattr(self.request, "territory", None))


class InboxView(_OwnPortal, core.InboxView):
    pass


class ArchiveView(_OwnPortal, core.ArchiveView):
    pass


class DetailView(_OwnPortal, core.DetailView):
    """Another portal's notification is a 404 (and is not marked read)."""


class UpdateView(_OwnPortal, core.UpdateView):
    def get_objects(self, ids):
        return self.get_queryset().filter(pk__in=ids)
