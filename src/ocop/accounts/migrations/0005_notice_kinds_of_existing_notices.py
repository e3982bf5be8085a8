"""The notices stored before kinds existed get the kind their key names (data only; the schema is 0004)."""

from django.db import migrations


def set_kinds(apps, schema_editor):  # type: ignore[no-untyped-def]
    from ocop.accounts.models import kind_of

    Notification = apps.get_model("accounts", "Notification")
    for notice in Notification.objects.filter(kind="other").only("id", "key").iterator():
        kind = kind_of(notice.key)
        if kind != "other":
            Notification.objects.filter(pk=notice.pk).update(kind=kind)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_notice_kind_and_email_opt_out")]

    operations = [migrations.RunPython(set_kinds, migrations.RunPython.noop)]
