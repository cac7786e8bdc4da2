"""What ``portal build`` makes of a spec's ``[[programmes]]``, and the officers' group.

The generator seeds programmes the way it seeds pages: a field still holding what it last
wrote follows the spec, a field an officer changed in the admin is theirs, and a programme
an officer deleted stays deleted. A field saved in the officers' editor (editor.py) is
claimed with :func:`claim_fields` and is never written by the generator again, even when it
later happens to equal the spec. The budget account is brought in line with the budget
whoever set it.
"""

from collections.abc import Iterable

from django.contrib.auth.models import Permission
from django.utils.translation import gettext as _

from portal.territories.groups import own_group
from portal.territories.models import SeedRecord, Territory
from portal.territories.seeding import Seeder
from portal.territories.spec import ProgrammeSpec

from .budget import create_programme, fund
from .models import Programme, TerritoryOffice


def _wanted(spec: ProgrammeSpec) -> dict:
    return {
        "title": spec.title,
        "summary": spec.summary,
        "kind": spec.kind,
        "budget": spec.budget,
        "opens_on": spec.opens_on,
        "closes_on": spec.closes_on,
        "amounts": {str(size): str(amount) for size, amount in spec.amounts.items()},
        "categories": list(spec.categories),
        "credit_expires_on": spec.credit_expires_on,
        "municipalities": list(spec.municipalities),
        "questions": [
            {
                "key": q.key,
                "label": q.label,
                "type": q.type,
                "choices": list(q.choices),
                "required": q.required,
            }
            for q in spec.questions
        ],
    }


def _key(territory: Territory, slug: str) -> str:
    return f"{territory.slug}:programme:{slug}"


def claim_fields(programme: Programme, fields: Iterable[str]) -> None:
    """Make ``fields`` of ``programme`` the officers': the generator leaves them alone."""
    key = f"{_key(programme.territory, programme.slug)}:officer"
    record, _created = SeedRecord.objects.select_for_update().get_or_create(
        key=key, defaults={"value": []}
    )
    owned = sorted(set(record.value or []) | set(fields))
    if owned != record.value:
        record.value = owned
        record.save(update_fields=["value"])


def sync_programmes(
    territory: Territory, specs: list[ProgrammeSpec], partners: dict, seeder: Seeder
) -> None:
    """Create or update the spec's programmes of ``territory`` (never an officer's change).

    Raises :class:`~portal.ledger.transfers.InsufficientFunds` when a budget is lowered
    below what was already granted (the build is rolled back and says which programme).
    """
    for spec in specs:
        key = _key(territory, spec.slug)
        programme = Programme.objects.filter(territory=territory, slug=spec.slug).first()
        created = programme is None
        if created and seeder.record(key) is not None:
            continue  # seeded once, then deleted by an officer: stays deleted
        wanted = _wanted(spec)
        if created:
            programme = create_programme(territory, slug=spec.slug, **wanted)
        claimed = set() if created else set(_claimed(seeder, key))
        for field in sorted(claimed & {*wanted, "cooperatives"}):
            seeder.kept["programme"] += 1
            seeder.say(f"    = {key}.{field}: kept the officer's change")
        wanted = {field: value for field, value in wanted.items() if field not in claimed}
        seeder.seed_fields(key, programme, wanted, created=created)
        seeder.count("programme", created, spec.slug)
        if "cooperatives" not in claimed:
            coop_key = f"{key}:cooperatives"
            current = sorted(programme.cooperatives.values_list("pk", flat=True))
            chosen = sorted(partners[slug].pk for slug in spec.cooperatives)
            changes = seeder.merge(
                coop_key, {"cooperatives": current}, {"cooperatives": chosen}, created
            )
            if "cooperatives" in changes:
                programme.cooperatives.set(changes["cooperatives"])
        if not created and fund(programme):
            seeder.updated["programme budget"] += 1


def _claimed(seeder: Seeder, key: str) -> list[str]:
    record = seeder.record(f"{key}:officer")
    return list(record.value or []) if record else []


def ensure_office(territory: Territory) -> tuple[TerritoryOffice, bool]:
    """The territory's municipality officers' group, made if missing, renamed with the portal.

    Members an administrator added stay; the generator adds nobody.
    """
    name = _("%(portal)s municipality officers") % {"portal": territory.name}
    office = TerritoryOffice.objects.filter(territory=territory).select_related("group").first()
    created = office is None
    group, _created = own_group(None if created else office.group, name, territory.slug)
    if created:
        office = TerritoryOffice.objects.create(territory=territory, group=group)
    # into the admin, where the queue of their own territory's applications is
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return office, created
