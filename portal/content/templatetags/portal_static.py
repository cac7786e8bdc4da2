"""``{% load portal_static %}``: Django's ``static`` tags, with each file's address remembered.

The themes' templates load it instead of ``static`` (same tags, same output). Django's own
tag asks the app registry and the storage on every use, a tenth of the catalogue list's time
for its dozen icons and scripts; an address only changes with the settings or a new
``collectstatic``, which restarts the server, and a settings change in tests clears what is
remembered.
"""

from functools import lru_cache

from django import template
from django.core.signals import setting_changed
from django.templatetags import static as django_static

register = template.Library()
register.tags.update(django_static.register.tags)  # get_static_prefix, get_media_prefix…
register.filters.update(django_static.register.filters)


class RememberedStaticNode(django_static.StaticNode):
    @classmethod
    def handle_simple(cls, path: str) -> str:
        return static_url(path)


@lru_cache(maxsize=1024)
def static_url(path: str) -> str:
    return django_static.StaticNode.handle_simple(path)


@register.tag("static")
def do_static(parser, token):
    return RememberedStaticNode.handle_token(parser, token)


def _forget(*, setting: str, **kwargs) -> None:
    if setting in {"STATIC_URL", "STORAGES", "STATICFILES_STORAGE", "INSTALLED_APPS"}:
        static_url.cache_clear()


setting_changed.connect(_forget, dispatch_uid="remembered-static-urls")
