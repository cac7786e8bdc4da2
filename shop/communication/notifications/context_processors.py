"""The unread count in the header: this portal's notifications only."""

from oscar.core.loading import get_model

from shop.communication.portals import sent_on

Notification = get_model("communication", "Notification")


def notifications(request):
    if getattr(request, "user", None) and request.user.is_authenticated:
        unread = Notification.objects.filter(recipient=request.user, date_read=None)
        territory = getattr(request, "territory", None)
        return {"num_unread_notifications": sent_on(unread, territory).count()}
    return {}
