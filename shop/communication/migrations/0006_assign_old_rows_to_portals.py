"""Assign the e-mails and notifications sent before 0005 to their portal, where derivable.

An old row belongs to a portal when every link in it points at that portal's host names, or
when its subject names an order placed there. A row naming no portal (or two) stays without
one: it is listed on no portal rather than risk showing one portal's e-mail on another.
"""

import re

from django.db import migrations

HOST = re.compile(r"https?://([^/\s\"'<>:]+)")
NUMBER = re.compile(r"\b(\d{5,})\b")


def _portal_of(text: str, subject: str, hosts: dict, orders) -> int | None:
    found = {hosts[h.lower()] for h in HOST.findall(text) if h.lower() in hosts}
    if len(found) == 1:
        return found.pop()
    if not found:
        numbers = NUMBER.findall(subject)
        if numbers:
            placed = set(
                orders.filter(number__in=numbers)
                .exclude(territory=None)
                .values_list("territory_id", flat=True)
            )
            if len(placed) == 1:
                return placed.pop()
    return None


def assign(apps, schema_editor):
    Territory = apps.get_model("territories", "Territory")
    TerritoryHost = apps.get_model("territories", "TerritoryHost")
    Order = apps.get_model("order", "Order")
    hosts = {}
    for territory in Territory.objects.select_related("site"):
        hosts[territory.site.hostname.lower()] = territory.pk
        for name in territory.hostnames or []:
            hosts[str(name).lower()] = territory.pk
    for host in TerritoryHost.objects.all():
        hosts[host.hostname.lower()] = host.territory_id
    if not hosts:
        return
    Email = apps.get_model("communication", "Email")
    for email in Email.objects.filter(territory=None).iterator():
        text = f"{email.body_text}\n{email.body_html}"
        territory = _portal_of(text, email.subject, hosts, Order.objects)
        if territory:
            Email.objects.filter(pk=email.pk).update(territory_id=territory)
    Notification = apps.get_model("communication", "Notification")
    for note in Notification.objects.filter(territory=None).iterator():
        territory = _portal_of(note.body, note.subject, hosts, Order.objects)
        if territory:
            Notification.objects.filter(pk=note.pk).update(territory_id=territory)


class Migration(migrations.Migration):
    dependencies = [
        ("communication", "0005_email_notification_territory"),
        ("order", "0022_order_territory"),
    ]

    operations = [migrations.RunPython(assign, migrations.RunPython.noop)]
