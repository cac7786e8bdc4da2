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


def own_popular_tags(user, model):
    """The ten most used tags of the user's own images or documents."""
    from django.db.models import Count
    from taggit.models import Tag

    from .admin_scope import own_media

    own = own_media(user, model.objects.all()).values("pk")
    return (
        Tag.objects.filter(
            taggit_taggeditem_items__content_type__app_label=model._meta.app_label,
            taggit_taggeditem_items__content_type__model=model._meta.model_name,
            taggit_taggeditem_items__object_id__in=own,
        )
        .annotate(item_count=Count("taggit_taggeditem_items"))
        .order_by("-item_count")[:10]
    )


def _own_popular_tags(filterset) -> None:
    """The "Tag" filter offers the most used tags of the user's own media, not everyone's."""
    tag_filter = filterset.filters.get("tag")
    user = getattr(filterset.request, "user", None)
    if tag_filter is None or user is None or user.is_superuser:
        return
    tags = own_popular_tags(user, filterset._meta.model)
    tag_filter.extra["choices"] = [(tag.name, tag.name) for tag in tags]


def scope_media_filters() -> None:
    """Give the images' and documents' lists filter sets whose tag choices are scoped
    (Wagtail reads ``IndexView.filterset_class``; its own popular tags span every portal),
    and the image chooser the user's own popular tags."""
    from wagtail.documents.views import documents
    from wagtail.images.views import chooser, images

    for module, base in (
        (images, images.ImagesFilterSet),
        (documents, documents.DocumentsFilterSet),
    ):

        class Scoped(base):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                _own_popular_tags(self)

        Scoped.__name__ = f"Portal{base.__name__}"
        module.IndexView.filterset_class = Scoped

    wagtail_context = chooser.ImageChooseViewMixin.get_context_data

    def get_context_data(self, **kwargs):
        context = wagtail_context(self, **kwargs)
        if not self.request.user.is_superuser:
            context["popular_tags"] = own_popular_tags(self.request.user, self.model)
        return context

    chooser.ImageChooseViewMixin.get_context_data = get_context_data
