"""The ledger in the Wagtail admin: read-only listings for superusers.

Balances change only through :mod:`portal.ledger.transfers`; a form that edits a balance
would break double entry, so nobody gets add, change or delete here.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import Account, Hold, Transfer


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Only "view", and only for superusers."""

    def user_has_permission(self, user, action):
        return action == "view" and user.is_active and user.is_superuser

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model

        User = get_user_model()
        if "view" not in actions:
            return User.objects.none()
        return User.objects.filter(is_active=True, is_superuser=True)


for _model in (Account, Transfer, Hold):
    register_permission_policy(_model, ReadOnlyPolicy(_model))


class ReadOnlyViewSet(ModelViewSet):
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = []  # never used: the policy allows no add or change


class AccountViewSet(ReadOnlyViewSet):
    model = Account
    name = "ledger_accounts"
    icon = "form"
    list_display = ["name", "kind", "territory", "balance", "allow_negative"]
    list_filter = ["kind", "territory"]
    search_fields = ["name", "code"]


class TransferViewSet(ReadOnlyViewSet):
    model = Transfer
    name = "ledger_transfers"
    icon = "arrow-right-full"
    list_display = ["created_at", "source", "destination", "amount", "kind", "reference"]
    list_filter = ["kind"]
    search_fields = ["reference", "key"]


class HoldViewSet(ReadOnlyViewSet):
    model = Hold
    name = "ledger_holds"
    icon = "lock"
    list_display = ["created_at", "source", "amount", "status", "reference"]
    list_filter = ["status"]
    search_fields = ["reference"]


class LedgerViewSetGroup(ModelViewSetGroup):
    menu_label = _("Ledger")
    menu_icon = "table"
    items = (AccountViewSet, TransferViewSet, HoldViewSet)


@hooks.register("register_admin_viewset")
def register_ledger_viewsets():
    return LedgerViewSetGroup()
