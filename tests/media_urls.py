"""The project's URLs with the uploads served as in the demo (PORTAL_SERVE_MEDIA is read when
portal/urls.py is imported, and the tests' settings leave it off)."""

from portal.territories import media
from portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = media.urlpatterns + portal_urlpatterns
