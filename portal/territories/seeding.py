"""Seeding editor-owned data without ever overwriting an editor's change.

For every field the generator fills, it remembers the value it wrote (a :class:`SeedRecord`).
On the next build a field still holding that value follows the spec; a field that holds
anything else was changed by a person and is left alone.
"""

from collections import Counter
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import models

from .models import SeedRecord


def plain(value: Any) -> Any:
    """The JSON form a seeded value is stored and compared in."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


class Seeder:
    """Writes seeded values and keeps the tally the build summary prints."""

    def __init__(self, say: Callable[[str], None] | None = None):
        self.say = say or (lambda _msg: None)
        self.created: Counter[str] = Counter()
        self.updated: Counter[str] = Counter()
        self.kept: Counter[str] = Counter()
        self._records: dict[str, SeedRecord] = {}

    def preload(self, prefix: str) -> None:
        """Read every seed record under ``prefix`` in one query."""
        for record in SeedRecord.objects.filter(key__startswith=prefix):
            self._records[record.key] = record

    def record(self, key: str) -> SeedRecord | None:
        if key not in self._records:
            record = SeedRecord.objects.filter(key=key).first()
            if record is None:
                return None
            self._records[key] = record
        return self._records[key]

    def remember(self, key: str, value: Any) -> None:
        record = self.record(key)
        if record is None:
            self._records[key] = SeedRecord.objects.create(key=key, value=value)
        elif record.value != value:
            record.value = value
            record.save(update_fields=["value"])

    def count(self, kind: str, created: bool, label: str = "") -> None:
        if created:
            self.created[kind] += 1
            self.say(f"    + {kind} {label}".rstrip())

    def merge(
        self, key: str, current: dict[str, Any], wanted: dict[str, Any], created: bool
    ) -> dict[str, Any]:
        """The values to write: ``wanted`` for fields nobody changed since we last seeded them."""
        last = (self.record(key).value or {}) if self.record(key) else {}
        changes, seeded = {}, {}
        for field, value in wanted.items():
            now = plain(current[field])
            # unchanged since seeded, or already what we want (nothing of an editor to keep)
            if created or now == last.get(field, now) or now == plain(value):
                seeded[field] = plain(value)
                if now != plain(value):
                    changes[field] = value
            else:
                seeded[field] = last.get(field)
                self.kept[key.split(":")[0]] += 1
                self.say(f"    = {key}.{field}: kept the editor's change")
        self.remember(key, seeded)
        return changes

    def seed_fields(
        self, key: str, obj: models.Model, wanted: dict[str, Any], created: bool = False
    ) -> bool:
        """Apply :meth:`merge` to a plain model instance; save it if new or changed."""
        current = {field: getattr(obj, field) for field in wanted}
        changes = self.merge(key, current, wanted, created or obj.pk is None)
        for field, value in changes.items():
            setattr(obj, field, value)
        if obj.pk is None:
            obj.save()
            return True
        if changes:
            obj.save(update_fields=list(changes))
            self.updated[key.split(":")[0]] += 1
            self.say(f"    ~ {key}: {', '.join(changes)}")
            return True
        return False

    def summary(self) -> str:
        parts = [f"{n} {kind} created" for kind, n in sorted(self.created.items())]
        parts += [f"{n} {kind} updated" for kind, n in sorted(self.updated.items())]
        parts += [f"{n} editor changes kept" for n in [sum(self.kept.values())] if n]
        return ", ".join(parts) or "nothing to change"
