"""Demo content and demo users for `make demo` (never used in production).

Content only fills pages that are still empty, so running it again, or after editors have
written, changes nothing. Illustrations are drawn here, from the portal's palette.
"""

import io
import random
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model

from .models import Territory

DEMO_PASSWORD = "demo"  # printed by the command; these accounts exist only in the demo database


@dataclass
class DemoLogin:
    role: str
    portal: str
    email: str
    password: str


def load_texts() -> dict:
    with (Path(settings.BASE_DIR) / "fixtures" / "demo" / "content.toml").open("rb") as f:
        return tomllib.load(f)


def illustration(seed: str, primary: str, secondary: str) -> ImageFile:
    """A 1200×600 PNG of overlapping circles in the portal's colours (drawn, not downloaded)."""
    rng = random.Random(seed)
    image = PILImage.new("RGB", (1200, 600), "#f5f3ee")
    draw = ImageDraw.Draw(image, "RGBA")
    colours = [primary, secondary, "#f2a900", "#3d8b6e"]
    for _ in range(14):
        x, y, r = rng.randint(0, 1200), rng.randint(0, 600), rng.randint(60, 220)
        rgb = PILImage.new("RGB", (1, 1), rng.choice(colours)).getpixel((0, 0))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(*rgb, 150))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return ImageFile(buffer, name=f"{seed}.png")


def fill(texts: list[str], territory: Territory) -> list[str]:
    cooperatives = ", ".join(p.name for p in territory.cooperatives.order_by("name"))
    municipalities = ", ".join(territory.municipalities) or territory.name
    return [
        t.format(portal=territory.name, cooperatives=cooperatives, municipalities=municipalities)
        for t in texts
    ]


def paragraphs(texts: list[str]) -> list[tuple[str, str]]:
    return [("paragraph", f"<p>{text}</p>") for text in texts]


def load_content(territory: Territory, palette: dict[str, str]) -> int:
    """Fill the Italian home, about and contacts pages of ``territory`` if still empty."""
    texts = load_texts()
    home = territory.site.root_page.specific
    changed = 0
    if not home.body:
        image = get_image_model().objects.create(
            title=f"{territory.name}: illustrazione",
            file=illustration(
                territory.slug,
                palette.get("primary", "#0b4f80"),
                palette.get("secondary", "#5c2d91"),
            ),
            collection=territory.collection,
        )
        services = home.get_children().filter(slug="servizi").first()
        home.hero_text = home.hero_text or texts["home"]["hero_text"]
        home.body = [
            *paragraphs(fill(texts["home"]["paragraphs"], territory)),
            ("image", {"image": image, "alt_text": texts["home"]["image_alt"], "caption": ""}),
            (
                "call_to_action",
                {
                    "title": texts["home"]["cta_title"],
                    "text": texts["home"]["cta_text"],
                    "link_label": texts["home"]["cta_label"],
                    "link_page": services,
                    "link_url": "",
                },
            ),
        ]
        home.save_revision().publish()
        changed += 1
    for slug, key in (("chi-siamo", "about"), ("contatti", "contacts")):
        page = home.get_children().filter(slug=slug).specific().first()
        if page is not None and not page.body:
            page.body = paragraphs(fill(texts[key]["paragraphs"], territory))
            page.save_revision().publish()
            changed += 1
    from portal.bookshop.demo import load_reading_tips
    from portal.events.demo import load_webinars

    changed += load_webinars(territory) + load_reading_tips(territory)
    from portal.content.demo import load_editorial

    changed += load_editorial(territory, palette)
    return changed


@cache
def _demo_password_hash() -> str:
    """``DEMO_PASSWORD`` hashed once per run: hashing takes half a second, and the demo has
    some thirty accounts sharing that public password."""
    return make_password(DEMO_PASSWORD)


def ensure_user(email: str, *, superuser: bool = False, groups=()) -> None:
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).first() or User(
        username=email[:150], email=email
    )
    user.is_superuser = user.is_staff = superuser or user.is_superuser
    user.password = _demo_password_hash()
    user.save()
    user.groups.add(*groups)


def create_users() -> list[DemoLogin]:
    logins = [
        DemoLogin("amministratore (tutti i portali)", "*", "admin@welfare.localhost", DEMO_PASSWORD)
    ]
    ensure_user(logins[0].email, superuser=True)
    for territory in Territory.objects.select_related("editors", "moderators").order_by("slug"):
        editor = territory.editors.user_set.order_by("email").first()
        if editor is not None:
            ensure_user(editor.email)
            logins.append(DemoLogin("redattore", territory.slug, editor.email, DEMO_PASSWORD))
        moderator = f"moderazione.{territory.slug}@welfare.localhost"
        ensure_user(moderator, groups=[territory.moderators])
        logins.append(DemoLogin("moderatore", territory.slug, moderator, DEMO_PASSWORD))
    ensure_user("cittadino@example.it")
    logins.append(DemoLogin("cittadino", "*", "cittadino@example.it", DEMO_PASSWORD))
    from shop.dashboard.orders.demo import cooperative_staff

    for portals, email in cooperative_staff(ensure_user):
        logins.append(DemoLogin("personale cooperativa (ordini)", portals, email, DEMO_PASSWORD))
    from shop.dashboard.catalogue.demo import catalogue_manager

    email = catalogue_manager(ensure_user)
    logins.append(DemoLogin("gestore del catalogo (servizi condivisi)", "*", email, DEMO_PASSWORD))
    from portal.newsletters.demo import communications_staff

    email = communications_staff(ensure_user)
    logins.append(
        DemoLogin("comunicazione (newsletter, tutti i portali)", "*", email, DEMO_PASSWORD)
    )
    from portal.events.demo import network_members

    for territory, email in network_members():
        logins.append(DemoLogin("socio della rete (webinar)", territory.slug, email, DEMO_PASSWORD))
    from portal.programmes.demo import officers

    for territory, email in officers(ensure_user):
        logins.append(
            DemoLogin("ufficio comunale (programmi)", territory.slug, email, DEMO_PASSWORD)
        )
    from portal.welfare.demo import welfare_managers

    for territory, email in welfare_managers(ensure_user):
        logins.append(
            DemoLogin("welfare manager (fasce di reddito)", territory.slug, email, DEMO_PASSWORD)
        )
    from portal.welfare.demo import DEMO_CITIZEN_FIRST_BAND

    if get_user_model().objects.filter(email__iexact=DEMO_CITIZEN_FIRST_BAND).exists():
        logins.append(
            DemoLogin("cittadina (fascia A: gratuito)", "*", DEMO_CITIZEN_FIRST_BAND, DEMO_PASSWORD)
        )
    return logins
