from django import forms
from oscar.apps.dashboard.catalogue import forms as core

# the offer's facts the platform (the portal's spec) sets; a cooperative reads them
SET_BY_THE_PLATFORM = ("partner", "partner_sku", "price_currency", "territory")


class StockRecordForm(core.StockRecordForm):
    """A cooperative's offer: its price, whether it takes orders, its notes, in one territory."""

    def __init__(self, product_class, user, *args, **kwargs):
        super().__init__(product_class, user, *args, **kwargs)
        if not user.is_staff:
            for name in SET_BY_THE_PLATFORM:
                self.fields[name].disabled = True

    class Meta(core.StockRecordForm.Meta):
        fields = [*core.StockRecordForm.Meta.fields, "territory", "available", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
