"""A product keeps its group (from its set, or from a list that names only the group), and the figures by group count
it from there; a dismissed review row keeps why."""

import django.db.models.deletion
from django.db import migrations, models


def fill_groups(apps, schema_editor):
    Product = apps.get_model("registry", "Product")
    ProductSet = apps.get_model("registry", "ProductSet")
    for set_id, group_id in ProductSet.objects.values_list("id", "group_id"):
        Product.objects.filter(product_set_id=set_id).update(group_id=group_id)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0005_places_may_be_incomplete_parked_rows_job_leases"),
    ]

    operations = [
        migrations.AddField(
            model_name="product",
            name="group",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="products",
                to="registry.productgroup",
                verbose_name="product group",
            ),
        ),
        migrations.RunPython(fill_groups, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="product", name="product_ocop_stats"),
        migrations.AddIndex(
            model_name="product",
            index=models.Index(
                fields=["ocop_status", "ocop_until", "province", "commune", "ocop_stars", "group", "producer"],
                name="product_ocop_stats",
            ),
        ),
        migrations.AddField(
            model_name="parkedrow",
            name="note",
            field=models.CharField(blank=True, max_length=300, verbose_name="why dismissed"),
        ),
    ]
