"""The life of an order line at its cooperative: new → accepted → scheduled → delivered.

Statuses are stored as these English codes (Oscar compares them as strings); people see the
translated labels. ``OSCAR_LINE_STATUS_PIPELINE`` in the settings is built from here.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

NEW, ACCEPTED, SCHEDULED, DELIVERED, CANCELLED = (
    "new",
    "accepted",
    "scheduled",
    "delivered",
    "cancelled",
)
LABELS = {
    NEW: pgettext_lazy("order line status", "New"),
    ACCEPTED: pgettext_lazy("order line status", "Accepted"),
    SCHEDULED: pgettext_lazy("order line status", "Scheduled"),
    DELIVERED: pgettext_lazy("order line status", "Delivered"),
    CANCELLED: pgettext_lazy("order line status", "Cancelled"),
}
INITIAL = NEW
PIPELINE = {
    NEW: (ACCEPTED, CANCELLED),
    ACCEPTED: (SCHEDULED, DELIVERED, CANCELLED),
    SCHEDULED: (SCHEDULED, DELIVERED, CANCELLED),  # scheduled again: a new date
    DELIVERED: (),
    CANCELLED: (),
}
# what the citizen is told when a line reaches a status
CITIZEN_MESSAGES = {
    ACCEPTED: _("The cooperative has accepted your request and will contact you soon."),
    SCHEDULED: _("The service has been scheduled."),
    DELIVERED: _("The service has been delivered. Thank you!"),
    CANCELLED: _("The service has been cancelled. The cooperative will contact you."),
}


def label(status: str) -> str:
    return str(LABELS.get(status, status))


def progress(line_statuses: list[str]) -> str:
    """Where an order's lines are, for the citizen: one label when they all agree, else each
    label once, in the order of a line's life ("New, Accepted")."""
    life = list(LABELS)  # NEW … CANCELLED
    present = sorted(set(line_statuses), key=lambda s: life.index(s) if s in life else -1)
    return ", ".join(label(status) for status in present)
