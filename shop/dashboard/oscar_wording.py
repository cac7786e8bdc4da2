"""Oscar's texts whose translation we correct: the project's catalogues are read
before Oscar's (LOCALE_PATHS), and naming the texts here keeps them in ours."""

from django.utils.translation import gettext_noop

CORRECTED = [
    gettext_noop("View Stock Alerts"),  # Oscar's Italian: "scarsa disponibiltà"
    # Oscar's Italian: "E' necessario inserire qualche prodotto nel carrello…"
    gettext_noop("You need to add some items to your basket to checkout"),
]
