"""On PostgreSQL the transparency log refuses UPDATE and DELETE: an entry once written stays as written. (Whoever
owns the database can still drop the trigger; `ocop verify-log` and the signed checkpoints catch what follows.)"""

from django.db import migrations

FUNCTION = "ocop_log_append_only"
TRIGGER = "certificates_logentry_append_only"

CREATE = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'The transparency log is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON certificates_logentry
    FOR EACH ROW EXECUTE FUNCTION {FUNCTION}();
"""
DROP = f"DROP TRIGGER IF EXISTS {TRIGGER} ON certificates_logentry; DROP FUNCTION IF EXISTS {FUNCTION}();"


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("certificates", "0003_history_series_potential_five_batch_leases")]

    operations = [migrations.RunPython(create, drop)]
