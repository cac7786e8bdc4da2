"""The demo's family members: the demo employee's mother lives in Sondrio (``manage.py demo``).

dipendente@example.it works for the Cremona demo company (portal/employers' demo) and books
home care for her on any portal: the line goes to a Sondrio cooperative. Re-runnable.
"""

from django.contrib.auth import get_user_model

from portal.territories.models import Territory

from .models import FamilyMember

EMPLOYEE = "dipendente@example.it"


def load_family_members(ensure_user) -> int:
    """The demo's saved relatives; how many there are."""
    sondrio = Territory.objects.filter(slug="sondrio").first()
    if sondrio is None:
        return 0
    ensure_user(EMPLOYEE)
    owner = get_user_model().objects.get(email__iexact=EMPLOYEE)
    FamilyMember.objects.get_or_create(
        owner=owner,
        name="Rosa Ferrari",
        defaults={
            "relationship": FamilyMember.MOTHER,
            "territory": sondrio,
            "address": "Via Trieste 12",
            "municipality": "Sondrio",
            "phone": "0342 512345",
        },
    )
    return FamilyMember.objects.filter(owner=owner).count()
