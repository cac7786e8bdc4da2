"""Oscar's dashboard texts whose translation we correct: the project's catalogues are read
before Oscar's (LOCALE_PATHS), and naming the texts here keeps them in ours."""

from django.utils.translation import gettext_noop

CORRECTED = [
    gettext_noop("View Stock Alerts"),  # Oscar's Italian: "scarsa disponibiltà"
]
