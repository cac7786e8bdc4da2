from django.urls import path

from . import views

app_name = "security"
urlpatterns = [
    path("two-factor/", views.two_factor, name="two-factor"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="recovery-codes"),
]
