"""The dashboards' kept snapshots listed communes by code point ("Chương Mỹ" before "Cầu Giấy"): a new generation
makes every page recount its figures, now in Vietnamese order."""

from django.db import migrations
from django.db.models import F


def bump(apps, schema_editor):  # type: ignore[no-untyped-def]
    Generation = apps.get_model("reporting", "Generation")
    if not Generation.objects.filter(pk=1).update(value=F("value") + 1):
        Generation.objects.get_or_create(pk=1, defaults={"value": 1})


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0002_dashboard_snapshots"),
    ]

    operations = [migrations.RunPython(bump, migrations.RunPython.noop)]
