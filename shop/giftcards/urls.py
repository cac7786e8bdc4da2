from django.urls import path

from . import views

app_name = "giftcards"

urlpatterns = [
    path("balance/", views.balance, name="balance"),
    path("apply/", views.apply, name="apply"),
    path("remove/<int:card_id>/", views.remove, name="remove"),
]
