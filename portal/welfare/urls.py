from django.urls import path

from . import views

app_name = "welfare"

urlpatterns = [
    path("punti-sociali/", views.social_points, name="social-points"),
    path("la-mia-fascia/", views.my_band, name="my-band"),
]
