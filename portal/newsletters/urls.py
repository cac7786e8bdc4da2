from django.urls import path

from . import views

app_name = "newsletters"

urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("conferma/<str:token>/", views.confirm, name="confirm"),
    path("preferenze/<str:token>/", views.preferences, name="preferences"),
    path("disiscrizione/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
