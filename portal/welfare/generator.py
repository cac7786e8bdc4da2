"""What ``portal build`` makes of a spec's ``[[income_bands]]``, ``[[reductions]]`` and
``[[social_points]]``, and the welfare managers' group.

Seeded like programmes (portal/programmes/generator.py): a field still holding what the
generator last wrote follows the spec, a field an administrator changed is theirs, and a row
an administrator deleted stays deleted. Rows the spec no longer lists are left alone.
"""

from django.contrib.auth.models import Permission
from django.utils.translation import gettext as _

from portal.programmes.models import Programme
from portal.territories.groups import own_group
from portal.territories.models import Territory
from portal.territories.seeding import Seeder
from portal.territories.spec import TerritorySpec

from .models import IncomeBand, Reduction, SocialPoint, WelfareOffice


def ensure_welfare_office(territory: Territory) -> tuple[WelfareOffice, bool]:
    """The territory's welfare managers' group, made if missing, renamed with the portal.

    Members an administrator added stay; the generator adds nobody.
    """
    name = _("%(portal)s welfare managers") % {"portal": territory.name}
    office = WelfareOffice.objects.filter(territory=territory).select_related("group").first()
    created = office is None
    group, _created = own_group(None if created else office.group, name, territory.slug)
    if created:
        office = WelfareOffice.objects.create(territory=territory, group=group)
    # into the admin, where the "Welfare" menu of their own territory is
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return office, created


def _seed(seeder: Seeder, key: str, model, found, wanted: dict, kind: str, label: str, **fixed):
    """Create or update one seeded row; None when an administrator deleted it."""
    created = found is None
    if created and seeder.record(key) is not None:
        return None  # seeded once, then deleted by an administrator: stays deleted
    obj = found or model(**fixed, **wanted)
    seeder.seed_fields(key, obj, wanted, created=created)
    seeder.count(kind, created, label)
    return obj


def sync_welfare(territory: Territory, spec: TerritorySpec, seeder: Seeder) -> None:
    """The spec's bands, reductions and Social Points of ``territory`` (never an admin's change)."""
    slug = territory.slug
    bands = {b.code: b for b in IncomeBand.objects.filter(territory=territory)}
    for position, band in enumerate(spec.income_bands):
        made = _seed(
            seeder,
            f"{slug}:income-band:{band.code}",
            IncomeBand,
            bands.get(band.code),
            {"label": band.label, "position": position},
            "income band",
            band.code,
            territory=territory,
            code=band.code,
        )
        if made is not None:
            bands[band.code] = made
    programmes = {p.slug: p for p in Programme.objects.filter(territory=territory)}
    reductions = {r.position: r for r in Reduction.objects.filter(territory=territory)}
    for position, reduction in enumerate(spec.reductions):
        band, programme = bands.get(reduction.band), programmes.get(reduction.programme)
        if band is None or programme is None:
            continue  # the band or the programme was deleted by an administrator
        _seed(
            seeder,
            f"{slug}:reduction:{position}",
            Reduction,
            reductions.get(position),
            {
                "band_id": band.pk,
                "categories": list(reduction.categories),
                "services": list(reduction.services),
                "percent_off": reduction.percent_off,
                "programme_id": programme.pk,
            },
            "reduction",
            f"{reduction.band} -{reduction.percent_off}%",
            territory=territory,
            position=position,
        )
    points = {p.slug: p for p in SocialPoint.objects.filter(territory=territory)}
    for position, point in enumerate(spec.social_points):
        _seed(
            seeder,
            f"{slug}:social-point:{point.slug}",
            SocialPoint,
            points.get(point.slug),
            {
                "name": point.name,
                "address": point.address,
                "opening_hours": point.hours,
                "phone": point.phone,
                "position": position,
            },
            "social point",
            point.slug,
            territory=territory,
            slug=point.slug,
        )
