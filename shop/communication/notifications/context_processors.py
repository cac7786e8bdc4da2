"""The unread count in the header: this portal's notifications only."""

from oscar.core.loading import get_model

from portal.content.lazy import lazy
from shop.communication.portals import sent_on

Notification = get_model("communication", "Notification")


def notifications(request):
    """Counted only when a template shows it (the account's pages), not on every page."""
    if getattr(request, "user", None) and request.user.is_authenticated:

        def unread() -> int:
            mine = Notification.objects.filter(recipient=request.user, date_read=None)
            return sent_on(mine, getattr(request, "territory", None)).count()

        return {"num_unread_notifications": lazy(unread)}
    return {}
