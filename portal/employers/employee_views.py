"""The employee's side in their account: "My company welfare" (``customer:employer-welfare``).

Only the signed-in person's own wallets, on whichever portal they are: an employer's credit is
spent on every portal. What a plan buys is read from ``fixtures/tuir_categories.toml``: its
TUIR letters and the catalogue's categories under each.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from portal.ledger.accounts import movements as account_movements
from shop.catalogue.fixture import load_catalogue

from . import spending
from .models import EmployeeWallet
from .tuir import code_name, mapping


def what_it_buys(letters: list[str]) -> list[dict]:
    """Each TUIR letter of a plan with the names of the catalogue's categories it covers."""
    categories = load_catalogue().categories
    table = mapping().categories
    return [
        {
            "name": code_name(code),
            "categories": [
                categories[slug].name
                for slug, codes in table.items()
                if code in codes and slug in categories
            ],
        }
        for code in letters
    ]


@login_required
def my_welfare(request: HttpRequest) -> HttpResponse:
    wallets = list(
        EmployeeWallet.objects.filter(employee__user=request.user)
        .select_related("plan__employer", "employee", "account")
        .order_by("-plan__ends_on", "pk")
    )
    movements = account_movements([w.account_id for w in wallets])
    items = []
    for wallet in wallets:
        try:
            spending.check_usable(wallet)
            refused = ""
        except spending.WalletRefused as refusal:
            refused = str(refusal)
        items.append(
            {
                "wallet": wallet,
                "plan": wallet.plan,
                "balance": wallet.account.balance,
                "refused": refused,
                "buys": what_it_buys(wallet.plan.categories or []),
                "movements": movements[wallet.account_id],
            }
        )
    return TemplateResponse(
        request,
        "employers/my_welfare.html",
        {"page_title": _("My company welfare"), "active_tab": "employer-welfare", "items": items},
    )
