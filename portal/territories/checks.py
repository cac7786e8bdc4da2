"""System check portal.E001: every spec in sites/ must be valid."""

from django.core.checks import Error, register


@register("portal")
def check_specs(app_configs, **kwargs):
    from .spec import load_all

    _specs, errors = load_all()
    return [Error(str(error), id="portal.E001") for error in errors]
