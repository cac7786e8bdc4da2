"""The payment page's "use this credit / do not use it" buttons, one per wallet (a
programme's, by its number; an employer's, ``employer-<number>``)."""

from django.http import Http404
from django.shortcuts import redirect
from django.views import generic

from portal.employers.at_checkout import wallet_of
from portal.programmes.models import Wallet
from shop.payment import wallets


class WalletChoiceView(generic.View):
    """POST ``wallet`` and ``use`` (1 or 0): the citizen's choice for this checkout."""

    def post(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            raise Http404
        posted = request.POST.get("wallet", "")
        if wallet_of(request.user, posted) is not None:
            wallet_id: int | str = posted
        elif posted.isdigit() and Wallet.objects.filter(pk=posted, owner=request.user).exists():
            wallet_id = int(posted)
        else:
            raise Http404
        wallets.choose(request, wallet_id, use=request.POST.get("use") == "1")
        return redirect("checkout:payment-details")
