"""Where attachments live: a storage of their own, outside MEDIA_ROOT and without a URL.

An ISEE certificate or an identity document must never be reachable by guessing a media
address: the files are read only through the application's own view, which checks who asks.
"""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible

from portal.defaults import setting


@deconstructible
class PrivateStorage(FileSystemStorage):
    """The private files' storage; ``url()`` refuses, so no template can link one by mistake."""

    def __init__(self, **kwargs):
        kwargs.setdefault("base_url", None)
        super().__init__(**kwargs)

    @property
    def base_location(self):
        root = Path(setting("PORTAL_PRIVATE_MEDIA_ROOT"))
        return str(root if root.is_absolute() else Path(settings.BASE_DIR) / root)

    @property
    def location(self):
        return str(Path(self.base_location).resolve())

    def url(self, name):
        raise ValueError("Private files have no public URL; serve them through their view.")


private_storage = PrivateStorage()
