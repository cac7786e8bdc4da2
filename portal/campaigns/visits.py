"""Landing page visits, counted on the server: one number a day and page, nothing else (no
cookie, no address, no agent). The page is never kept by a shared cache, so each visit
reaches this count (models.CampaignLandingPage.serve)."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import CampaignLandingPage, LandingVisit


def count_visit(page: CampaignLandingPage) -> None:
    day = timezone.localdate()
    if LandingVisit.objects.filter(page=page, day=day).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            LandingVisit.objects.create(page=page, day=day, count=1)
    except IntegrityError:  # another request made today's row first
        LandingVisit.objects.filter(page=page, day=day).update(count=F("count") + 1)
