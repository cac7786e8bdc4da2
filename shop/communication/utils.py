"""Oscar's dispatcher, recording the portal of every e-mail and notification it stores.

Oscar's dispatchers (orders, accounts, alerts) render with :meth:`get_messages`, then send;
the portal found in the rendering context travels in the messages (``messages["territory"]``)
to :meth:`create_email`, which has no request of its own.
"""

from oscar.apps.communication import utils as core
from oscar.core.loading import get_model

from .portals import territory_of_context

Email = get_model("communication", "Email")
Notification = get_model("communication", "Notification")


class Dispatcher(core.Dispatcher):
    def get_messages(self, event_code, extra_context=None):
        messages = super().get_messages(event_code, extra_context)
        messages["territory"] = territory_of_context(extra_context or {})
        return messages

    def create_email(self, user, messages, email):
        if email and user.is_authenticated:
            return Email.objects.create(
                user=user,
                email=user.email,
                subject=email.subject,
                body_text=email.body,
                body_html=messages["html"],
                territory=messages.get("territory"),
            )

    def notify_user(self, user, subject, **kwargs):
        """``territory=`` names the portal; else it is read from ``context=`` if given."""
        context = kwargs.pop("context", None)
        if "territory" not in kwargs and context is not None:
            kwargs["territory"] = territory_of_context(context)
        Notification.objects.create(recipient=user, subject=subject, **kwargs)
