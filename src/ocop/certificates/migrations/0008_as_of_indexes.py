"""Indexes for reports as of a day: a province's certificates by issue date with what the as-of rule tests and
counts, and the log's suspensions and lifts by certificate."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0007_certified_names"),
        ("places", "0003_province_central"),
        ("registry", "0007_product_renames"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="certificate",
            index=models.Index(
                fields=[
                    "province",
                    "issued_on",
                    "valid_until",
                    "status",
                    "status_since",
                    "superseded_by",
                    "stars",
                    "potential_five",
                    "product",
                    "producer",
                    "commune",
                    "id",
                ],
                name="certificate_as_of",
            ),
        ),
        migrations.AddIndex(
            model_name="logentry",
            index=models.Index(fields=["event", "certificate", "seq", "at"], name="logentry_event_certificate"),
        ),
    ]
