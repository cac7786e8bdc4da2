"""Who owns the shared catalogue: the platform's catalogue managers, not the cooperatives.

Every territory offers services from one catalogue (``fixtures/catalogue.toml``, the
:data:`~shop.catalogue.fixture.SERVICE_CLASS` products and their packages). A cooperative
changes only its own offers of them (price, availability, its notes: its stock records); the
services themselves (texts, categories, images, whether they exist) are changed by the
"Catalogue managers" group, made by the generator like the territories' groups.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q, QuerySet
from oscar.core.loading import get_model

from portal.defaults import setting
from shop.catalogue.fixture import SERVICE_CLASS
from shop.dashboard.orders.access import dashboard_access

Product = get_model("catalogue", "Product")

# the catalogue's models a manager changes through the dashboard (Oscar checks these perms)
MANAGED_MODELS = (
    "product",
    "productclass",
    "productattribute",
    "productcategory",
    "productimage",
    "productrecommendation",
    "category",
    "option",
    "attributeoptiongroup",
    "attributeoption",
)
ACTIONS = ("view", "add", "change", "delete")


def catalogue_managers_group() -> tuple[Group, bool]:
    """The platform's catalogue managers, with their permissions: (group, created); safe to
    call again.

    Named by ``PORTAL_CATALOGUE_MANAGERS_GROUP``, the group two-factor sign-in is required of.
    """
    group, created = Group.objects.get_or_create(name=setting("PORTAL_CATALOGUE_MANAGERS_GROUP"))
    permissions = Permission.objects.filter(
        content_type__app_label="catalogue",
        codename__in=[f"{action}_{model}" for action in ACTIONS for model in MANAGED_MODELS],
    )
    group.permissions.add(dashboard_access(), *permissions)
    return group, created


def manages_catalogue(user) -> bool:
    """A catalogue manager (not Oscar staff, who see everything anyway)."""
    return not user.is_staff and user.has_perm("catalogue.change_product")


def platform_services() -> QuerySet:
    """The shared services and their packages: what catalogue managers look after."""
    return Product.objects.filter(
        Q(product_class__slug=SERVICE_CLASS) | Q(parent__product_class__slug=SERVICE_CLASS)
    )


def visible_products_q(user) -> Q:
    """The products ``user`` (not Oscar staff) may open in the dashboard: a cooperative's
    own (a stock record of its partner, directly or through a package), a manager's services."""
    own = Q(children__stockrecords__partner__users__pk=user.pk) | Q(
        stockrecords__partner__users__pk=user.pk
    )
    if manages_catalogue(user):
        return own | Q(pk__in=platform_services().values("pk"))
    return own


def changes_offers_only(user) -> bool:
    """Cooperative staff: on a service's page they change their own offers and nothing else."""
    return not user.is_staff and not manages_catalogue(user)


OFFER_ACTIONS = ("set_product_price",)  # Oscar's product bulk actions that touch offers only


def offer_actions(user, actions: dict) -> dict:
    if not changes_offers_only(user):
        return actions
    return {name: action for name, action in actions.items() if name in OFFER_ACTIONS}
