"""Demo webinars (``manage.py demo``): two upcoming, one past, per portal. Re-runnable.

Written by us for the demo, after the kinds of meetings the network's news site announces:
privacy for families, risk management restricted to the network, education after a crisis.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from portal.content.models import WebinarIndexPage
from portal.defaults import setting
from portal.territories.models import Territory

from .models import Audience, WebinarPage, WebinarSpeaker
from .network import ensure_network

# (slug, title, days from today, hour, minutes, audience, seats, summary, paragraphs, speakers)
DEMO_WEBINARS = [
    (
        "privacy-servizi-alla-persona",
        "I tuoi dati nei servizi alla persona: la privacy spiegata alle famiglie",
        21,
        (18, 0),
        60,
        Audience.PUBLIC,
        80,
        "Che cosa succede ai dati di chi chiede un servizio di cura, e quali diritti ha.",
        [
            "Quando una famiglia chiede un servizio di assistenza, di tutoring o di supporto "
            "psicologico, affida alla cooperativa informazioni delicate: la salute, la scuola, "
            "la situazione economica. In un'ora proviamo a spiegare, senza gergo, chi le "
            "conserva, per quanto tempo e con chi possono essere condivise.",
            "Parleremo anche dei diritti di ciascuno: vedere i propri dati, correggerli, "
            "chiederne la cancellazione. Alla fine c'è spazio per le domande.",
        ],
        [
            ("Giulia Ferrari", "consulente privacy per il terzo settore"),
            ("Paolo Rinaldi", "coordinatore dei servizi domiciliari"),
        ],
    ),
    (
        "gestione-rischio-cooperative",
        "Gestione del rischio nelle cooperative sociali: i servizi non si fermano",
        35,
        (10, 30),
        90,
        Audience.NETWORK,
        40,
        "Un incontro di lavoro riservato alla rete: continuità dei servizi e piani di emergenza.",
        [
            "Chiusure improvvise, personale assente, servizi da spostare online in pochi "
            "giorni: le cooperative della rete lo hanno vissuto. Rileggiamo insieme che cosa ha "
            "funzionato e come scrivere un piano di continuità che serva davvero.",
            "L'incontro è riservato ai soci e agli operatori delle cooperative della rete; il "
            "materiale di lavoro sarà inviato agli iscritti.",
        ],
        [
            ("Marco Bianchi", "responsabile qualità e sicurezza"),
            ("Elena Colombo", "formatrice sui sistemi di gestione UNI/PdR 58:2019"),
        ],
    ),
    (
        "imprese-sociali-educazione",
        "Le imprese sociali dell'educazione: ripartire dalle famiglie",
        -20,
        (10, 30),
        75,
        Audience.PUBLIC,
        100,
        "Esperienze educative a distanza e nuovi bisogni delle famiglie: la registrazione.",
        [
            "Educatori e pedagogisti della rete hanno raccontato come hanno tenuto vivo il "
            "legame con bambini e famiglie quando i servizi erano chiusi, e che cosa resta di "
            "quelle settimane nei servizi di oggi.",
        ],
        [("Sara Galli", "pedagogista"), ("Luca Moretti", "esperto di innovazione sociale")],
    ),
]


def _starts_at(days: int, hour_minute: tuple[int, int]) -> datetime:
    zone = ZoneInfo(setting("PORTAL_EVENTS_TIME_ZONE"))
    day = timezone.localdate(timezone=zone) + timedelta(days=days)
    return datetime.combine(day, time(*hour_minute), tzinfo=zone)


def load_webinars(territory: Territory) -> int:
    """Add the demo webinars missing from the portal's Italian webinar index; return how many."""
    home = territory.site.root_page
    index = WebinarIndexPage.objects.child_of(home).first()
    if index is None:
        return 0
    existing = set(WebinarPage.objects.child_of(index).values_list("slug", flat=True))
    added = 0
    for slug, title, days, at, minutes, audience, seats, summary, texts, speakers in DEMO_WEBINARS:
        if slug in existing:
            continue
        page = WebinarPage(
            title=title,
            slug=slug,
            locale=index.locale,
            search_description=summary,
            starts_at=_starts_at(days, at),
            duration_minutes=minutes,
            capacity=seats,
            audience=audience,
            online_link=f"https://meet.jit.si/{territory.slug}-welfare-{slug}",
            recording_url=f"https://video.{territory.slug}welfare.example/registrazioni/{slug}"
            if days < 0
            else "",
            body=[("paragraph", f"<p>{text}</p>") for text in texts],
        )
        page.speakers = [
            WebinarSpeaker(name=name, role=role, sort_order=i)
            for i, (name, role) in enumerate(speakers)
        ]
        index.add_child(instance=page)
        page.save_revision().publish()
        added += 1
    return added


def network_member_email(territory: Territory) -> str:
    return f"rete.{territory.slug}@welfare.localhost"


def network_members() -> list[tuple[Territory, str]]:
    """A demo member of each territory's network (can join network-only webinars)."""
    from portal.territories.demo import ensure_user

    members = []
    for territory in Territory.objects.order_by("slug"):
        network, _created = ensure_network(territory)
        email = network_member_email(territory)
        ensure_user(email, groups=[network.group])
        user = get_user_model().objects.get(email__iexact=email)
        if not user.first_name:
            user.first_name, user.last_name = "Socio", f"della rete ({territory.name})"
            user.save(update_fields=["first_name", "last_name"])
        members.append((territory, email))
    return members
