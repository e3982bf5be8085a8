# Each outlet's monthly sums of its sales rows (SalesMonth), which the sales services keep from now on: counted here
# from the rows already recorded.

import django.db.models.deletion
from django.db import migrations, models

from ocop.outlets.sales_months import rebuild


def count(apps, schema_editor):
    rebuild(apps.get_model("outlets", "SalesRecord"), apps.get_model("outlets", "SalesMonth"), outlets=None)


class Migration(migrations.Migration):
    dependencies = [("outlets", "0004_map_feature_phone_grouped")]

    operations = [
        migrations.CreateModel(
            name="SalesMonth",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("month", models.DateField()),
                ("rows", models.PositiveIntegerField(default=0)),
                ("quantity", models.DecimalField(decimal_places=2, default=0, max_digits=20)),
                ("revenue", models.BigIntegerField(default=0)),
                (
                    "outlet",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="outlets.outlet"
                    ),
                ),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("outlet", "month"), name="one_sales_month_per_outlet")],
            },
        ),
        migrations.RunPython(count, migrations.RunPython.noop),
    ]
