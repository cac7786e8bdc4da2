"""Demo reading tips (``manage.py demo``): three for Sondrio's bookshop, one elsewhere.

Real books with their real ISBN-13 (check digits verified by the validator on save); the
reviews are ours, written for the demo.
"""

from django.utils.text import slugify

from portal.content.models import ReadingTipIndexPage
from portal.territories.models import Territory

from .isbn import normalise_isbn
from .models import AgeRange, ReadingTipPage

# (title, author, publisher, ISBN-13, age range, lead, review paragraphs)
BOOKS = [
    (
        "The Very Hungry Caterpillar",
        "Eric Carle",
        "Philomel Books",
        "978-0-399-22690-8",
        AgeRange.TODDLERS,
        "Un classico da sfogliare con le dita, anche in inglese: i giorni della settimana, "
        "i numeri e una trasformazione che lascia a bocca aperta.",
        [
            "Lo consigliamo ai genitori che vogliono avvicinare i più piccoli all'inglese "
            "senza fatica: le frasi sono brevi e si ripetono, le pagine bucate invitano a "
            "contare e a toccare, e la storia si capisce anche solo dalle illustrazioni.",
            "In libreria lo leggiamo spesso ad alta voce nei laboratori del sabato: i bambini "
            "anticipano le parole dopo la seconda lettura. Esiste anche in italiano, se "
            "preferite partire dalla lingua di casa.",
        ],
    ),
    (
        "Where the Wild Things Are",
        "Maurice Sendak",
        "HarperCollins",
        "978-0-06-025492-6",
        AgeRange.TODDLERS,
        "La rabbia di un bambino diventa un viaggio tra mostri che fanno paura solo "
        "all'inizio: un albo per parlare di emozioni.",
        [
            "Max viene mandato a letto senza cena e parte per un'isola dove diventa il re "
            "delle creature selvagge. Poche parole, tavole grandi: è un libro che lascia "
            "spazio alle domande dei bambini e alle risposte degli adulti.",
            "Lo suggeriamo alle famiglie e alle educatrici che cercano un modo leggero per "
            "dare un nome alla rabbia e al bisogno di tornare a casa.",
        ],
    ),
    (
        "Charlotte's Web",
        "E. B. White",
        "HarperCollins",
        "978-0-06-440055-8",
        AgeRange.CHILDREN,
        "Un maialino, un ragno e un'amicizia che salva una vita: da leggere insieme, un "
        "capitolo per sera.",
        [
            "È una storia di fattoria che parla di amicizia, di crescita e anche della morte, "
            "con una delicatezza rara. I capitoli sono brevi e si prestano alla lettura "
            "condivisa tra nonni e nipoti.",
            "Per chi legge già da solo in inglese è una bella sfida; per gli altri ne teniamo "
            "in libreria anche la traduzione italiana.",
        ],
    ),
]
ELSEWHERE = 1  # reading tips on portals other than Sondrio


def load_reading_tips(territory: Territory) -> int:
    """Add the demo reading tips missing from the Italian reading-tip index; return how many."""
    home = territory.site.root_page
    index = ReadingTipIndexPage.objects.child_of(home).first()
    if index is None:
        return 0
    books = BOOKS if territory.slug == "sondrio" else BOOKS[1 : 1 + ELSEWHERE]
    existing = set(ReadingTipPage.objects.child_of(index).values_list("isbn", flat=True))
    added = 0
    for title, author, publisher, isbn, ages, lead, review in books:
        page = ReadingTipPage(
            title=f"{title}, di {author}",
            slug=slugify(title),
            locale=index.locale,
            book_title=title,
            author=author,
            publisher=publisher,
            isbn=normalise_isbn(isbn),  # checks the digit; stores the 13 digits
            age_range=ages,
            intro=f"<p>{lead}</p>",
            search_description=lead,
            body=[("paragraph", f"<p>{text}</p>") for text in review],
        )
        if page.isbn in existing:
            continue
        index.add_child(instance=page)
        page.save_revision().publish()
        added += 1
    return added
