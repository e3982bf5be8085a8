# The stored map features carry the outlet's phone number and its tap-to-call address (the public map's popup): add
# them to the features stored before.

import json

from django.db import migrations

from ocop.core.phones import tel_uri

OPEN = ',"open":'


def add_phone(apps, schema_editor):
    Outlet = apps.get_model("outlets", "Outlet")
    for outlet in (
        Outlet.objects.exclude(phone="").exclude(map_feature="").only("id", "phone", "map_feature").iterator()
    ):
        tel = tel_uri(outlet.phone)
        if not tel or not outlet.map_feature.endswith(OPEN):
            continue
        feature = json.loads(outlet.map_feature[: -len(OPEN)] + "}}")
        feature["properties"].update(phone=outlet.phone, tel=tel)
        text = json.dumps(feature, ensure_ascii=False, separators=(",", ":"))
        outlet.map_feature = text[:-2] + OPEN
        outlet.save(update_fields=["map_feature"])


class Migration(migrations.Migration):
    dependencies = [("outlets", "0002_map_feature_without_url")]

    operations = [migrations.RunPython(add_phone, migrations.RunPython.noop)]
