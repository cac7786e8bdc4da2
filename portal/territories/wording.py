"""Django's and Oscar's texts whose translation we correct: the project's catalogues are read
before theirs (LOCALE_PATHS), and naming the texts here keeps them in ours. Italian writes
months and days of the week in lowercase ("lunedì 28 dicembre 2026"); Django's Italian
capitalises them."""

from django.utils.translation import gettext_noop, pgettext_lazy

MONTHS = [
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
]
# the month's name beside a day ("28 dicembre"), Django's "E" format
MONTHS_ALT = [
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
]
WEEKDAYS = [
    gettext_noop("Monday"),
    gettext_noop("Tuesday"),
    gettext_noop("Wednesday"),
    gettext_noop("Thursday"),
    gettext_noop("Friday"),
    gettext_noop("Saturday"),
    gettext_noop("Sunday"),
]
OSCAR = [
    gettext_noop("View Stock Alerts"),  # Oscar's Italian: "scarsa disponibiltà"
    # Oscar's Italian: "E' necessario inserire qualche prodotto nel carrello…"
    gettext_noop("You need to add some items to your basket to checkout"),
]
