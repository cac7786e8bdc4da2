"""Forms: buying a voucher (fields of the add-to-basket form), using one, checking a balance."""

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from portal.defaults import setting

from . import products
from .pricing import amount_limits, valid_amount

OTHER = "other"
OTHER_AMOUNT = "giftcard_other_amount"
MAX_MESSAGE = 500


class GiftVoucherOptionsMixin:
    """The voucher's options in Oscar's ``AddToBasketForm``, with real fields and checks.

    The amount is a choice of the fixed amounts or "another amount" (a second field, checked
    against the portal's limits); the send date is today or later, within the voucher's
    validity. A form with an error adds nothing to the basket.
    """

    def _add_option_field(self, product, option):
        field = self._giftcard_field(option.code)
        if field is None:
            return super()._add_option_field(product, option)
        self.fields[option.code] = field
        if option.code == products.AMOUNT:
            low, high = amount_limits()
            self.fields[OTHER_AMOUNT] = forms.DecimalField(
                label=_("Another amount (€)"),
                required=False,
                max_digits=8,
                decimal_places=2,
                help_text=_("From %(min)s € to %(max)s €.")
                % {"min": number_format(low, 2), "max": number_format(high, 2)},
                widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
            )

    def _giftcard_field(self, code: str) -> forms.Field | None:
        today = timezone.localdate()
        if code == products.AMOUNT:
            choices = [(str(a), f"{number_format(a, 2)} €") for a in products.fixed_amounts()]
            return forms.ChoiceField(
                label=_("Amount"),
                choices=[*choices, (OTHER, _("Another amount"))],
                initial=choices[1][0] if len(choices) > 1 else choices[0][0],
                widget=forms.RadioSelect,
            )
        if code == products.FROM:
            return forms.CharField(
                label=_("From (your name)"),
                max_length=120,
                required=False,
                widget=forms.TextInput(attrs={"autocomplete": "name"}),
            )
        if code == products.RECIPIENT_NAME:
            return forms.CharField(label=_("Recipient's name"), max_length=120)
        if code == products.RECIPIENT_EMAIL:
            return forms.EmailField(
                label=_("Recipient's e-mail"),
                help_text=_("The voucher code is sent to this address."),
            )
        if code == products.MESSAGE:
            return forms.CharField(
                label=_("Your message"),
                max_length=MAX_MESSAGE,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        if code == products.SEND_ON:
            return forms.DateField(
                label=_("Send on"),
                initial=today,
                help_text=_("The e-mail with the code reaches the recipient on this day."),
                # a date input takes ISO dates whatever the language (01/12/2026 is dropped)
                widget=forms.DateInput(
                    format="%Y-%m-%d", attrs={"type": "date", "min": today.isoformat()}
                ),
            )
        return None

    def clean(self):
        cleaned = super().clean()
        if products.AMOUNT in self.fields:
            choice = cleaned.get(products.AMOUNT)
            value = cleaned.get(OTHER_AMOUNT) if choice == OTHER else choice
            if choice == OTHER and value is None:
                self.add_error(OTHER_AMOUNT, _("Enter the amount of the voucher."))
            elif choice:
                try:
                    cleaned[products.AMOUNT] = str(valid_amount(value))
                except ValidationError as error:
                    self.add_error(OTHER_AMOUNT if choice == OTHER else products.AMOUNT, error)
        send_on = cleaned.get(products.SEND_ON)
        if send_on is not None:
            today = timezone.localdate()
            latest = today + timedelta(days=setting("PORTAL_GIFTCARD_VALIDITY_DAYS") - 1)
            if not today <= send_on <= latest:
                self.add_error(
                    products.SEND_ON,
                    _("Choose a day from today to %(latest)s.")
                    % {"latest": latest.strftime("%d/%m/%Y")},
                )
            else:
                cleaned[products.SEND_ON] = send_on.isoformat()
        return cleaned


class CodeForm(forms.Form):
    """One voucher code, typed however the person likes (case, spaces, dashes)."""

    code = forms.CharField(
        label=_("Gift voucher code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        help_text=_("For example XXXX-XXXX-XXXX-XXXX-XX"),
    )
