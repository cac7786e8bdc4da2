"""Payment endpoints outside the language prefixes: Stripe calls them, not a citizen."""

from django.urls import path

from . import views

app_name = "payment"
urlpatterns = [
    path("stripe/webhook/", views.stripe_webhook, name="stripe-webhook"),
    path("orders/<str:number>/refund/", views.refund, name="refund"),
]
