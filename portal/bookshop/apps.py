from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookshopConfig(AppConfig):
    name = "portal.bookshop"
    label = "bookshop"
    verbose_name = _("Bookshop")
    default_auto_field = "django.db.models.BigAutoField"
