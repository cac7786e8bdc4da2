"""Scale data: make a territory offer N services (synthetic products, real rows).

DJANGO_SETTINGS_MODULE=portal.settings.bench python bench/scale.py sondrio 200
"""

import os
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.bench")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from oscar.core.loading import get_model  # noqa: E402

from portal.territories.models import Territory  # noqa: E402

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductCategory = get_model("catalogue", "ProductCategory")
Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")


@transaction.atomic
def offer(slug: str, count: int) -> int:
    territory = Territory.objects.get(slug=slug)
    have = StockRecord.objects.filter(territory=territory).count()
    missing = max(0, count - have)
    partner = territory.cooperatives.first()
    product_class = ProductClass.objects.get(slug="servizio")
    category = Category.objects.first()
    products = Product.objects.bulk_create(
        Product(
            title=f"Servizio di scala {have + i}",
            upc=f"scale-{slug}-{have + i}",
            slug=f"servizio-di-scala-{have + i}",
            product_class=product_class,
            structure="standalone",
            description="<p>Servizio sintetico per le misure.</p>",
        )
        for i in range(missing)
    )
    ProductCategory.objects.bulk_create(
        ProductCategory(product=p, category=category) for p in products
    )
    StockRecord.objects.bulk_create(
        StockRecord(
            product=p,
            partner=partner,
            territory=territory,
            partner_sku=f"scale-{p.upc}",
            price=Decimal("10.00") + i % 50,
            price_currency="EUR",
        )
        for i, p in enumerate(products)
    )
    return have + missing


if __name__ == "__main__":
    slug, count = sys.argv[1], int(sys.argv[2])
    print(f"{slug} offers {offer(slug, count)} services")
