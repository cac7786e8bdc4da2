"""The payment page's "use this credit / do not use it" buttons, one per programme wallet."""

from django.http import Http404
from django.shortcuts import redirect
from django.views import generic

from portal.programmes.models import Wallet
from shop.payment import wallets


class WalletChoiceView(generic.View):
    """POST ``wallet`` and ``use`` (1 or 0): the citizen's choice for this checkout."""

    def post(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            raise Http404
        try:
            wallet_id = int(request.POST.get("wallet", ""))
        except ValueError:
            raise Http404 from None
        if not Wallet.objects.filter(pk=wallet_id, owner=request.user).exists():
            raise Http404
        wallets.choose(request, wallet_id, use=request.POST.get("use") == "1")
        return redirect("checkout:payment-details")
