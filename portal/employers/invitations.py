"""Invitations: an e-mail with a link that lets a new employee set a password and sign in.

The link carries a signed token (:mod:`django.core.signing`) naming the employee and a digest
of their current password: it expires after :data:`MAX_AGE` and stops working once a password
is set, so it can be used once.
"""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from .models import Employee

SALT = "portal.employers.invitation"
MAX_AGE = 7 * 24 * 3600  # seconds


def _digest(user) -> str:
    return salted_hmac(SALT, f"{user.pk}:{user.password}").hexdigest()[:16]


def make_token(employee: Employee) -> str:
    return signing.dumps({"e": employee.pk, "d": _digest(employee.user)}, salt=SALT)


def read_token(token: str, max_age: int | None = None) -> Employee | None:
    """The employee the token invites, or None (expired, tampered, already used)."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE if max_age is None else max_age)
    except signing.BadSignature:  # SignatureExpired too
        return None
    employee = Employee.objects.select_related("user", "employer").filter(pk=data.get("e")).first()
    if employee is None or employee.has_left() or _digest(employee.user) != data.get("d"):
        return None
    return employee


def invitation_url(employee: Employee, base_url: str) -> str:
    return base_url.rstrip("/") + reverse("employers:invitation", args=[make_token(employee)])


def send_invitations(employees, base_url: str, language: str = "it") -> int:
    """E-mail each employee not invited yet (or with no password yet: a new link); the count."""
    sent = []
    messages = []
    for employee in employees:
        user = employee.user
        if not user.email or employee.has_left():
            continue
        if employee.invited_at is not None and user.has_usable_password():
            continue
        with translation.override(language):
            body = render_to_string(
                "employers/email/invitation.txt",
                {
                    "employee": employee,
                    "employer": employee.employer,
                    "url": invitation_url(employee, base_url),
                    "days": MAX_AGE // 86400,
                    "has_password": user.has_usable_password(),
                },
            )
            subject = _("%(employer)s: your welfare credit") % {"employer": employee.employer}
        messages.append(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
        sent.append(employee.pk)
    if messages:
        get_connection().send_messages(messages)
        Employee.objects.filter(pk__in=sent).update(invited_at=timezone.now())
    return len(sent)
