import oscar.apps.dashboard.catalogue.apps as apps
from oscar.core.loading import get_class


class CatalogueDashboardConfig(apps.CatalogueDashboardConfig):
    """Oscar's catalogue dashboard, where the shared services belong to the platform.

    Cooperative staff (``partner.dashboard_access``) open only their products' pages, to
    change their own offers (see :mod:`.views`) and bulk-set their own prices; creating and
    deleting services, categories, product types, options and attribute groups takes the
    catalogue model permissions, which the platform's catalogue managers have (see
    :mod:`.access`) and cooperatives do not.
    """

    name = "shop.dashboard.catalogue"

    def configure_permissions(self):
        super().configure_permissions()
        DashboardPermission = get_class("dashboard.permissions", "DashboardPermission")
        for url_name in (
            "catalogue-product-create",
            "catalogue-product-delete",
        ):  # Oscar lets any partner's staff create and delete products
            self.permissions_map[url_name] = self.permissions_map[url_name][0]
        self.permissions_map["catalogue-product-create-child"] = DashboardPermission.get(
            "catalogue", "view_product", "add_product"
        )
