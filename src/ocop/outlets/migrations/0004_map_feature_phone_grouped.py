# The stored map features show the outlet's phone number in groups of digits ("0948 552 728", issue 16), as the
# outlet's page does: rewrite the number in the features stored before.

import json

from django.db import migrations

from ocop.core.phones import phone_display

OPEN = ',"open":'


def group_phone(apps, schema_editor):
    Outlet = apps.get_model("outlets", "Outlet")
    for outlet in (
        Outlet.objects.exclude(phone="").exclude(map_feature="").only("id", "phone", "map_feature").iterator()
    ):
        if not outlet.map_feature.endswith(OPEN):
            continue
        feature = json.loads(outlet.map_feature[: -len(OPEN)] + "}}")
        if "phone" not in feature["properties"]:
            continue
        feature["properties"]["phone"] = phone_display(outlet.phone)
        text = json.dumps(feature, ensure_ascii=False, separators=(",", ":"))
        outlet.map_feature = text[:-2] + OPEN
        outlet.save(update_fields=["map_feature"])


class Migration(migrations.Migration):
    dependencies = [("outlets", "0003_map_feature_phone")]

    operations = [migrations.RunPython(group_phone, migrations.RunPython.noop)]
