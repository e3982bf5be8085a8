"""A certificate keeps the packs carrying the mark as they stood at issue (the registry's pack rows may be removed
later); certificates issued before keep the packs they list now."""

from django.db import migrations, models


def keep_listed_packs(apps, schema_editor):
    Certificate = apps.get_model("certificates", "Certificate")
    listed = {}
    rows = Certificate.packs.through.objects.order_by("productpack_id").values_list(
        "certificate_id", "productpack__name", "productpack__size", "productpack__gtin"
    )
    for cert_id, name, size, gtin in rows.iterator(chunk_size=5000):
        listed.setdefault(cert_id, []).append({"name": name, "size": size, "gtin": gtin})
    ids = sorted(listed)
    for start in range(0, len(ids), 1000):
        certs = [Certificate(pk=pk, issued_packs=listed[pk]) for pk in ids[start : start + 1000]]
        Certificate.objects.bulk_update(certs, ["issued_packs"])


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0006_log_checkpoints"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="issued_packs",
            field=models.JSONField(
                blank=True, editable=False, null=True, verbose_name="packs carrying the mark, as issued"
            ),
        ),
        migrations.RunPython(keep_listed_packs, migrations.RunPython.noop),
    ]
