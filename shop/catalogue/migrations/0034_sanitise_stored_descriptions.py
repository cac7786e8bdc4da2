"""Descriptions stored before the sanitiser (shop/catalogue/richtext.py), made inert."""

from django.db import migrations


def sanitise(apps, schema_editor):
    from shop.catalogue.richtext import clean_html

    for model_name, fields in (
        ("Product", ("description",)),
        ("Category", ("description", "long_description")),
    ):
        model = apps.get_model("catalogue", model_name)
        for row in model.objects.only("pk", *fields).iterator():
            cleaned = {f: clean_html(getattr(row, f)) for f in fields}
            if any(cleaned[f] != getattr(row, f) for f in fields):
                model.objects.filter(pk=row.pk).update(**cleaned)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0033_product_audience_product_delivery_modes_and_more"),
    ]

    operations = [migrations.RunPython(sanitise, migrations.RunPython.noop)]
