"""Oscar's e-mail sign-in, as slow for an unknown address as for a known one.

Oscar's ``EmailBackend`` checks the password only of the accounts it finds: for an address
nobody registered it answers at once, and the time a login takes tells whether an account
exists. Like Django's ``ModelBackend``, we run the password hasher once on a miss.
"""

from django.contrib.auth import get_user_model
from oscar.apps.customer import auth_backends
from oscar.apps.customer.utils import normalise_email


class EmailBackend(auth_backends.EmailBackend):
    def _authenticate(self, request, email=None, password=None, *args, **kwargs):
        address = email if email is not None else kwargs.get("username")
        if address is not None and password is not None and "@" in normalise_email(address):
            model = get_user_model()
            if not model._default_manager.filter(email__iexact=normalise_email(address)).exists():
                model().set_password(password)  # the hasher's time, for nothing
                return None
        return super()._authenticate(request, email, password, *args, **kwargs)
