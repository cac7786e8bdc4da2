"""Admin: the municipality officers' "Programmes" menu and its views (office.py)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import office


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("programmi/", office.index, name="programmes_admin_index"),
        path("programmi/<int:programme_id>/", office.queue, name="programmes_admin_queue"),
        path(
            "programmi/domande/<int:application_id>/",
            office.application,
            name="programmes_admin_application",
        ),
        path(
            "programmi/domande/<int:application_id>/approva/",
            office.approve_application,
            name="programmes_admin_approve",
        ),
        path(
            "programmi/domande/<int:application_id>/documenti/<int:attachment_id>/",
            office.attachment,
            name="programmes_admin_attachment",
        ),
    ]


class OfficersMenuItem(MenuItem):
    def is_shown(self, request):
        return office.is_officer(request.user)


@hooks.register("register_admin_menu_item")
def programmes_menu_item():
    return OfficersMenuItem(
        _("Programmes"), reverse("programmes_admin_index"), icon_name="list-ul", order=250
    )


@hooks.register("register_admin_urls")
def register_programme_editing_urls():
    """Officers create and edit their own territory's programmes (editing.py)."""
    from . import editing

    return [
        path(
            "programmi/nuovo/<int:territory_id>/",
            editing.create,
            name="programmes_admin_create",
        ),
        path(
            "programmi/<int:programme_id>/modifica/",
            editing.edit,
            name="programmes_admin_edit",
        ),
    ]


@hooks.register("register_admin_urls")
def register_dashboard_urls():
    """A programme's dashboard, its live figures and its CSV exports (dashboard.py)."""
    from . import dashboard

    return [
        path(
            "programmi/<int:programme_id>/cruscotto/",
            dashboard.dashboard,
            name="programmes_admin_dashboard",
        ),
        path(
            "programmi/<int:programme_id>/cruscotto/dati.json",
            dashboard.figures_json,
            name="programmes_admin_figures",
        ),
        path(
            "programmi/<int:programme_id>/esporta/domande.csv",
            dashboard.export_applications,
            name="programmes_admin_export_applications",
        ),
        path(
            "programmi/<int:programme_id>/esporta/movimenti.csv",
            dashboard.export_movements,
            name="programmes_admin_export_movements",
        ),
    ]


@hooks.register("register_admin_urls")
def register_paper_admin_urls():
    """Paper applications and their letters (paper_office.py)."""
    from . import paper_office

    return [
        path(
            "programmi/<int:programme_id>/domanda-cartacea/",
            paper_office.paper_application,
            name="programmes_admin_paper",
        ),
        path(
            "programmi/domande/<int:application_id>/lettera/",
            paper_office.letter,
            name="programmes_admin_letter",
        ),
    ]
