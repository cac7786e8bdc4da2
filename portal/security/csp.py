"""The Content-Security-Policy of each kind of page (django-csp).

Public pages get ``CONTENT_SECURITY_POLICY`` (settings/base.py): nothing inline runs without
the request's nonce. The Wagtail admin and the Oscar dashboard ship inline scripts and styles
of their own and are used by signed-in staff only: their policy also allows inline code, and
still loads nothing from other hosts and cannot be framed by another site.
"""

from urllib.parse import urlsplit

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from portal.defaults import setting

STAFF_POLICY_UPDATE = {
    "script-src": [UNSAFE_INLINE],
    "style-src": [UNSAFE_INLINE],
    "img-src": ["blob:"],
    "frame-src": [SELF],
}


STRIPE_DIRECTIVES = ("script-src", "img-src", "connect-src", "frame-src", "form-action")


def stripe_origins() -> set[str]:
    """Where Stripe.js, its card frame and 3-D Secure come from now (the settings may point
    at another localstripe than the one the policy was written for, as in the tests)."""
    urls = (settings.STRIPE_API_BASE, getattr(settings, "STRIPE_JS_URL", "") or "")
    return {f"{p.scheme}://{p.netloc}" for p in map(urlsplit, filter(None, urls))}


def is_staff_path(path: str) -> bool:
    """The admin's and the dashboard's pages (the dashboard under any language prefix)."""
    parts = path.lstrip("/").split("/")
    if parts and len(parts[0]) == 2:  # /en/shop/dashboard/
        parts = parts[1:]
    joined = "/" + "/".join(parts)
    return joined.startswith(tuple(setting("PORTAL_STAFF_PATHS")))


class PortalCSPMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        written = set(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"])
        missing = sorted(stripe_origins() - written)
        if missing:
            parts.update = {
                **{d: missing for d in STRIPE_DIRECTIVES},
                **(parts.update or {}),
            }
        if not report_only and is_staff_path(request.path_info):
            # the nonce would switch 'unsafe-inline' off: staff pages go without it
            parts.nonce = None
            parts.update = {**STAFF_POLICY_UPDATE, **(parts.update or {})}
        return parts
