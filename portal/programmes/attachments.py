"""Checking and storing an application's documents: size, type (by content, not by name).

A file's name and the browser's content type are whatever the sender says; the first bytes
are what the file is. Only what the programme accepts is stored, in the private storage.
"""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from portal.defaults import setting

from .models import Application, Attachment

# The first bytes of each accepted type.
SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}


def accepted_extensions() -> str:
    return ", ".join(sorted(setting("PORTAL_ATTACHMENT_TYPES")))


def check_upload(upload: UploadedFile) -> str:
    """The file's real content type, or a :class:`ValidationError` saying what is wrong."""
    limit = setting("PORTAL_ATTACHMENT_MAX_BYTES")
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s: the largest accepted is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    name = (upload.name or "").lower()
    extension = name[name.rfind(".") :] if "." in name else ""
    content_type = setting("PORTAL_ATTACHMENT_TYPES").get(extension)
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if content_type is None or not head.startswith(SIGNATURES.get(content_type, (b"\0",))):
        raise ValidationError(
            _("This file type is not accepted: send a %(types)s file.")
            % {"types": accepted_extensions()}
        )
    return content_type


def attach(application: Application, label: str, upload: UploadedFile) -> Attachment:
    """Store ``upload`` (already checked) as a private document of ``application``."""
    content_type = check_upload(upload)
    attachment = Attachment(
        application=application,
        label=label[:120],
        original_name=(upload.name or "document")[-200:],
        content_type=content_type,
        size=upload.size,
    )
    attachment.file.save("upload", upload, save=False)
    attachment.save()
    return attachment
