from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("i-miei-webinar/", views.my_webinars, name="my-webinars"),
    path("annulla/<str:token>/", views.cancel_registration, name="cancel"),
]
