import oscar.apps.customer.apps as apps
from django.urls import path
from oscar.core.loading import get_class


class CustomerConfig(apps.CustomerConfig):
    name = "shop.customer"

    def ready(self):
        super().ready()
        self.signup_confirm_view = get_class("customer.views", "SignupConfirmView")
        self.email_change_confirm_view = get_class("customer.views", "EmailChangeConfirmView")

    def get_urls(self):
        urls = super().get_urls()
        urls += self.post_process_urls(
            [
                # the link e-mailed to a new address: the account is created there
                path(
                    "signup/<str:token>/",
                    self.signup_confirm_view.as_view(),
                    name="signup-confirm",
                ),
                # the link e-mailed to the new address of a profile: the address changes there
                path(
                    "email/<str:token>/",
                    self.email_change_confirm_view.as_view(),
                    name="email-change-confirm",
                ),
            ]
        )
        urls += self.post_process_urls(self.family_urls())
        return urls

    def family_urls(self):
        """My family members (shop/customer/family.py): /shop/accounts/family/…, and my
        employer's welfare credit: /shop/accounts/welfare/"""
        from portal.employers.employee_views import my_welfare

        from . import family

        return [
            path("family/", family.family_list, name="family-list"),
            path("family/add/", family.family_edit, name="family-add"),
            path("family/<int:pk>/", family.family_edit, name="family-edit"),
            path("family/<int:pk>/delete/", family.family_delete, name="family-delete"),
            # my employer's welfare credit (portal/employers/employee_views.py)
            path("welfare/", my_welfare, name="employer-welfare"),
        ]
