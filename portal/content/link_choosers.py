"""The rich-text editor's link choosers (external, e-mail), answering bad input with the
form's error instead of a server error.

Wagtail's external-link form crashes when its URL field is missing from the POST
(``URLOrAbsolutePathField.to_python(None)``), and its e-mail form when the link being edited
is not a valid URL (``urlsplit`` of ``?link_url=mailto://[``). Ours are the same views with
those two inputs read safely; portal/urls.py routes Wagtail's addresses to them. The phone
and anchor choosers use plain text fields and need nothing.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.forms.choosers import (
    ExternalLinkChooserForm,
    URLOrAbsolutePathField,
)
from wagtail.admin.views.chooser import EmailLinkView, ExternalLinkView


class _URLOrPathField(URLOrAbsolutePathField):
    def to_python(self, value):
        # a missing field is an empty one: "required" says so, instead of None.startswith()
        return super().to_python(value or "")


class ExternalLinkForm(ExternalLinkChooserForm):
    url = _URLOrPathField(required=True, label=_("URL"))


class PortalExternalLinkView(ExternalLinkView):
    form_class = ExternalLinkForm


class PortalEmailLinkView(EmailLinkView):
    def parse_email_link(self, mailto: str) -> dict[str, str]:
        try:
            return super().parse_email_link(mailto)
        except ValueError:  # not a URL at all: the form opens empty
            return {"email": "", "subject": "", "body": ""}


def _admin_view(view_class):
    return never_cache(require_admin_access(view_class.as_view()))


# before Wagtail's own addresses (portal/urls.py): the same paths, our views
urlpatterns = [
    path(
        "admin/choose-external-link/",
        _admin_view(PortalExternalLinkView),
        name="portal_choose_external_link",
    ),
    path(
        "admin/choose-email-link/",
        _admin_view(PortalEmailLinkView),
        name="portal_choose_email_link",
    ),
]
