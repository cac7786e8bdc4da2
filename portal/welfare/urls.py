from django.urls import path

from . import assisted_views, views

app_name = "welfare"

urlpatterns = [
    path("punti-sociali/", views.social_points, name="social-points"),
    path("la-mia-fascia/", views.my_band, name="my-band"),
    # assisted mode (portal/welfare/assisted.py)
    path("assistenza/entra/<str:token>/", assisted_views.enter, name="assisted-enter"),
    path("assistenza/fine/", assisted_views.stop, name="assisted-stop"),
    path(
        "assistenza/link-pagamento/",
        assisted_views.send_payment_link,
        name="assisted-payment-link",
    ),
    path("assistenza/paga/<str:token>/", assisted_views.pay, name="assisted-pay"),
    path(
        "operazioni-per-tuo-conto/",
        assisted_views.my_assisted_actions,
        name="my-assisted-actions",
    ),
]
