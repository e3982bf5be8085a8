# Notices point to a record by kind and id (the back office makes the URL); the stored URLs of earlier notices are
# read back into kind and id by their path.

import re

from django.db import migrations, models

# The back-office paths the earlier notices stored, as they were written (issue 15 moved URL names out of domain code).
PATHS = [
    (re.compile(r"^/bo/certificates/(\d+)/$"), "certificate"),
    (re.compile(r"^/bo/dossiers/(\d+)/score/$"), "score_page"),
    (re.compile(r"^/bo/dossiers/(\d+)/$"), "dossier"),
    (re.compile(r"^/bo/products/(\d+)/dossier/"), "rerecognition"),
    (re.compile(r"^/bo/inspections/(\d+)/$"), "inspection"),
    (re.compile(r"^/bo/products/(\d+)/$"), "product"),
    (re.compile(r"^/bo/documents/(\d+)/$"), "document"),
    (re.compile(r"^/bo/referrals/$"), "referrals"),
    (re.compile(r"^/bo/rounds/$"), "rounds"),
]


def url_to_target(apps, schema_editor):
    Notification = apps.get_model("accounts", "Notification")
    for notice in Notification.objects.exclude(url="").only("id", "url").iterator():
        for pattern, target in PATHS:
            match = pattern.match(notice.url)
            if match:
                notice.target = target
                notice.target_id = int(match.group(1)) if match.groups() else None
                notice.save(update_fields=["target", "target_id"])
                break


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_inspector_notifications"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="target",
            field=models.CharField(
                blank=True,
                choices=[
                    ("certificate", "Certificate"),
                    ("dossier", "Dossier"),
                    ("score_page", "Score Page"),
                    ("rerecognition", "Rerecognition"),
                    ("inspection", "Inspection"),
                    ("product", "Product"),
                    ("document", "Document"),
                    ("referrals", "Referrals"),
                    ("rounds", "Rounds"),
                    ("certificates", "Certificates"),
                    ("criteria", "Criteria"),
                    ("sales", "Sales"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="notification",
            name="target_id",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(url_to_target, migrations.RunPython.noop),
        migrations.RemoveField(model_name="notification", name="url"),
        migrations.AlterField(model_name="notification", name="title", field=models.TextField(verbose_name="title")),
    ]
