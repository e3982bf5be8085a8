"""The "vi" collation (Vietnamese alphabetical order) on PostgreSQL: ICU's vi-VN. SQLite gets a collation of the same
name on each connection (core/collation.py); on it this migration does nothing."""

from django.contrib.postgres.operations import CreateCollation
from django.db import migrations


class CreateCollationOnPostgres(CreateCollation):
    def database_backwards(self, app_label, schema_editor, from_state, to_state):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [CreateCollationOnPostgres("vi", provider="icu", locale="vi-VN")]
