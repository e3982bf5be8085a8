# The outlet's province kept on each of its months (an outlet never changes province): a province's dashboard sums
# its months from this table and an index on it, without joining the outlets.

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    SalesMonth = apps.get_model("outlets", "SalesMonth")
    Outlet = apps.get_model("outlets", "Outlet")
    province = Outlet.objects.filter(pk=models.OuterRef("outlet_id")).values("province_id")[:1]
    SalesMonth.objects.update(province_id=models.Subquery(province))


class Migration(migrations.Migration):
    dependencies = [("outlets", "0005_sales_months"), ("places", "0004_issuing_body")]

    operations = [
        migrations.AddField(
            model_name="salesmonth",
            name="province",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="places.province"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="salesmonth",
            name="province",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="places.province"
            ),
        ),
        migrations.AddIndex(
            model_name="salesmonth",
            index=models.Index(fields=["province", "month", "revenue", "quantity"], name="salesmonth_province_month"),
        ),
    ]
