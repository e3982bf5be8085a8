# The stored map features no longer carry the outlet page's address (the public page makes it from the code, so the
# domain holds no URL): drop it from the features stored before.

import re

from django.db import migrations

URL = re.compile(r',"url":"[^"]*"')


def drop_url(apps, schema_editor):
    Outlet = apps.get_model("outlets", "Outlet")
    for outlet in Outlet.objects.filter(map_feature__contains='"url":').only("id", "map_feature").iterator():
        outlet.map_feature = URL.sub("", outlet.map_feature)
        outlet.save(update_fields=["map_feature"])


class Migration(migrations.Migration):
    dependencies = [("outlets", "0001_outlets")]

    operations = [migrations.RunPython(drop_url, migrations.RunPython.noop)]
