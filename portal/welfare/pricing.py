"""What a citizen's verified income band takes off a price, and why (read once per request).

The shop's strategy (``shop.partner.strategy.TerritoryStrategy``) asks :func:`band_terms`
once per request, lazily (no query for a visitor, one for a signed-in citizen), and then
:meth:`BandTerms.reduction_for` for each product it prices. A reduction applies only when
the citizen's band is valid on the request's territory today and the programme that pays
for it has enough budget left for the line; otherwise the price is the full one and
:attr:`BandTerms.notice` (or :attr:`Priced.notice`) says why, so nothing changes silently.

The reduction is funded on the ledger by ``portal.welfare.funding`` (a hold on the
programme's budget per order line, captured to the line's cooperative).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.db.models import F
from django.utils.translation import gettext as _

from .models import Reduction

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Applied:
    """One reduction applied to one price: what it took off a unit and who pays for it."""

    reduction_id: int
    band_code: str
    percent_off: int
    programme_id: int
    programme_title: str
    budget_account_id: int
    full: Decimal  # the unit price before the reduction
    off: Decimal  # what the reduction takes off a unit

    @property
    def is_free(self) -> bool:
        return self.percent_off == 100

    @property
    def why(self) -> str:
        """ "−50% con la fascia B, finanziato da …" / "Gratuito con la fascia A, …"."""
        values = {
            "percent": self.percent_off,
            "band": self.band_code,
            "programme": self.programme_title,
        }
        if self.is_free:
            return _("Free with band %(band)s, paid by %(programme)s") % values
        return _("−%(percent)s%% with band %(band)s, paid by %(programme)s") % values


def amount_off(full: Decimal, percent_off: int) -> Decimal:
    """What ``percent_off`` takes off ``full`` (in cents; 100 takes all of it)."""
    if percent_off >= 100:
        return Decimal(full)
    return (Decimal(full) * percent_off / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def expired_notice(expired_on: date) -> str:
    return _(
        "Your income band expired on %(date)s: full prices apply. A welfare manager at a "
        "Social Point can renew it."
    ) % {"date": expired_on.strftime("%d/%m/%Y")}


def other_territory_notice() -> str:
    return _(
        "Your income band was verified on another portal: it gives no reduction here, "
        "full prices apply."
    )


def exhausted_notice(programme_title: str) -> str:
    return _(
        "The fund %(programme)s has not enough budget left for this service: full price applies."
    ) % {"programme": programme_title}


@dataclass
class BandTerms:
    """A citizen's reductions on one portal today, with the budgets left to pay them."""

    reductions: list = field(default_factory=list)  # Reduction rows, valid here today
    budgets: dict[int, Decimal] = field(default_factory=dict)  # programme id → left
    notice: str = ""  # why no reduction applies at all (expired, another portal)

    @property
    def active(self) -> bool:
        return bool(self.reductions)

    @property
    def key(self) -> str:
        """What the prices shown depend on (a cache key's part): the band's reductions and
        their budgets. "" when no reduction applies (the prices are everyone's)."""
        if not self.reductions:
            return ""
        parts = [
            f"{r.pk}:{r.percent_off}:{self.budgets.get(r.programme_id)}" for r in self.reductions
        ]
        return "band:" + ",".join(parts)

    def reduction_for(self, product, category_slugs) -> Reduction | None:
        """The reduction of ``product`` (its services ref, else one of its category slugs),
        the largest if several."""
        if not self.reductions:
            return None
        refs = {product.upc}
        parent = getattr(product, "parent", None) if product.parent_id else None
        if parent is not None:
            refs.add(parent.upc)
        found = [
            r
            for r in self.reductions
            if refs & set(r.services) or set(category_slugs) & set(r.categories)
        ]
        return max(found, key=lambda r: r.percent_off, default=None)

    def apply(self, reduction: Reduction, full: Decimal, quantity: int = 1):
        """``(Applied, "")`` when the budget can pay ``quantity`` units, else
        ``(None, notice)``."""
        off = amount_off(full, reduction.percent_off)
        if off <= 0:
            return None, ""
        left = self.budgets.get(reduction.programme_id, ZERO)
        if off * quantity > left:
            return None, exhausted_notice(reduction.programme.title)
        return (
            Applied(
                reduction_id=reduction.pk,
                band_code=reduction.band.code,
                percent_off=reduction.percent_off,
                programme_id=reduction.programme_id,
                programme_title=reduction.programme.title,
                budget_account_id=reduction.programme.budget_account_id,
                full=Decimal(full),
                off=off,
            ),
            "",
        )


NO_BAND_SECONDS = 24 * 3600


def _no_band_key(user_id: int) -> str:
    """Where "this citizen holds no band with reductions" is remembered, so that a signed-in
    citizen without a band costs no query: cleared when one of their bands changes, and for
    everyone when a reduction does (its version, portal/welfare/signals.py)."""
    return f"welfare:no-band:{cache.get('welfare:reductions-version', 0)}:{user_id}"


def forget_citizen(user_id: int) -> None:
    cache.delete(_no_band_key(user_id))


def forget_all() -> None:
    try:
        cache.incr("welfare:reductions-version")
    except ValueError:
        cache.set("welfare:reductions-version", 1, None)


def band_terms(user, territory, today: date, held_for: str | None = None) -> BandTerms:
    """``user``'s band terms on ``territory`` today: one query (none for a visitor).

    A citizen known to hold no band with reductions costs no query (:func:`_no_band_key`).
    The query reads every reduction of every band the citizen holds, on any portal, with its
    band, programme and budget: a band valid here gives its reductions; one that expired, or
    one of another portal, gives none and a notice. ``held_for``: the order being placed,
    whose reductions held on the budgets count as still there (one query more).
    """
    if user is None or not user.is_authenticated or territory is None:
        return BandTerms()
    if cache.get(_no_band_key(user.pk)):
        return BandTerms()
    rows = list(
        Reduction.objects.filter(band__citizens__citizen=user)
        .annotate(
            held_until=F("band__citizens__expires_on"),
            held_on=F("band__citizens__territory_id"),
            budget_left=F("programme__budget_account__balance"),
        )
        .select_related("band", "programme")
        .order_by("position", "pk")
    )
    here = [r for r in rows if r.held_on == territory.pk and r.territory_id == territory.pk]
    valid = [r for r in here if r.held_until >= today]
    if valid:
        budgets = {r.programme_id: r.budget_left for r in valid}
        if held_for:
            from .funding import held_by_budget

            held = held_by_budget(held_for)
            for r in {r.programme_id: r for r in valid}.values():
                budgets[r.programme_id] += held.get(r.programme.budget_account_id, ZERO)
        return BandTerms(reductions=valid, budgets=budgets)
    if here:
        return BandTerms(notice=expired_notice(max(r.held_until for r in here)))
    if rows:
        return BandTerms(notice=other_territory_notice())
    cache.set(_no_band_key(user.pk), 1, NO_BAND_SECONDS)
    return BandTerms()
