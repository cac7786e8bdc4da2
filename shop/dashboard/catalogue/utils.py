"""Oscar's product visibility rule for non-staff users, replaced by the platform's (see
:mod:`.access`); Oscar's list, bulk actions and product views all read it."""

from .access import visible_products_q


def partner_product_visibility_q(user):
    return visible_products_q(user)
