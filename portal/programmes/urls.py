from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("", views.programme_list, name="list"),
    path("le-mie-domande/", views.my_applications, name="my-applications"),
    path("le-mie-domande/<int:pk>/", views.my_application, name="my-application"),
    path(
        "le-mie-domande/<int:pk>/documenti/<int:attachment_pk>/",
        views.attachment,
        name="attachment",
    ),
    path("il-mio-portafoglio/", views.my_wallet, name="my-wallet"),
    path("<slug:slug>/", views.programme_detail, name="detail"),
    path("<slug:slug>/domanda/", views.apply, name="apply"),
    path("<slug:slug>/domanda/riepilogo/", views.summary, name="summary"),
]
