from django.urls import path

from . import views

app_name = "employers"

urlpatterns = [
    path("invito/<str:token>/", views.invitation, name="invitation"),
]
