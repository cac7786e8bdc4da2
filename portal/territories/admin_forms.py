"""The admin's upload forms: a new image or document starts in the portal's own collection."""

from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from .admin_scope import current_territory


class _OwnCollectionByDefault:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("collection")
        territory = current_territory.get()
        if (
            field is not None
            and not self.instance.pk
            and territory is not None
            and field.queryset.filter(pk=territory.collection_id).exists()
        ):
            self.initial["collection"] = territory.collection_id


class PortalImageForm(_OwnCollectionByDefault, BaseImageForm):
    pass


class PortalDocumentForm(_OwnCollectionByDefault, BaseDocumentForm):
    pass
