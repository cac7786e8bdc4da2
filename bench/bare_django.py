"""The machine's yardstick: a bare Django view (no middleware, no database, no template).

bench/run.sh measures it the same way as the portal's pages, so a result can be compared
across machines: the issue's targets were set where this view served about 3,500 requests/s.
"""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False, ROOT_URLCONF=__name__, ALLOWED_HOSTS=["*"], SECRET_KEY="bench", MIDDLEWARE=[]
)


def hello(request):
    return HttpResponse("hello")


urlpatterns = [path("", hello)]
application = get_wsgi_application()
