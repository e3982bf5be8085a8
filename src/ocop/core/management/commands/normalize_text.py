"""`ocop normalize_text [--commit]`: bring text stored before input was normalised to its stored form.

Walks every CharField and TextField of the ocop.* apps and rewrites the values that `scrub_text` changes (NFC,
collapsed spaces, one line for CharField and kept lines for TextField, control characters replaced by a space).
A dry run by default: it prints, per model.field, how many rows would change. With --commit each model is
rewritten in one transaction, by queryset.update in batches, which leaves `updated_at` alone: normalising is not
an edit anyone made. Running it again changes nothing (scrub_text is idempotent).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DataError, IntegrityError, models, transaction
from django.db.models import Case, Value, When

from ocop.core.text import scrub_text

# Never rewritten, with the reason. A key is a field name (in any model), "app.Model" (every field of it) or
# "app.Model.field". Besides these, fields with choices (fixed codes) and fields the code writes itself
# (editable=False: derived columns rebuilt from their sources, a file's name and type as uploaded) are skipped.
SKIPPED: dict[str, str] = {
    "search_text": "derived by fold(), which already ignores marks, case and spacing",
    "password": "a password hash, compared byte for byte",
    "code": "codes printed on QR labels, certificates and official lists, or issued by the code",
    "key": "lookup keys the code writes and looks up exactly (notifications, snapshots, legacy units)",
    "key_id": "names a signing key; carried in signed QR payloads",
    "public_key": "key material",
    "signature": "a signature over the claim",
    "claim": "the certificate's statement exactly as signed: one changed character breaks its QR",
    "hash": "a transparency log hash",
    "prev_hash": "a transparency log hash",
    "sha256": "a file's digest",
    "client": "a keyed hash of a consumer's network address",
    "certificates.Certificate.number": "inside the signed claim and the transparency log's hashes",
    "certificates.LogEntry": "the transparency log is an append-only hash chain",
    "certificates.LogHead": "the transparency log's head hash",
    "core.AuditEntry": "the audit trail keeps what was written, as it was written",
    "accounts.User.username": "the login name; Django normalises it (NFKC) itself and a rewrite could lock a user out",
}
BATCH = 500  # rows per UPDATE ... CASE statement: well under SQLite's limit on parameters


def skip_reason(model: type[models.Model], field: models.Field[Any, Any]) -> str | None:
    label = model._meta.label
    for key in (label, f"{label}.{field.name}", field.name):
        if key in SKIPPED:
            return SKIPPED[key]
    if field.choices:
        return "fixed codes (choices)"
    if not field.editable:
        return "written by the code, not typed (editable=False)"
    return None


def text_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField) and skip_reason(model, f) is None
    ]


def ocop_models() -> Iterable[type[models.Model]]:
    for model in apps.get_models():
        meta = model._meta
        if meta.app_config.name.startswith("ocop.") and meta.managed and not meta.proxy:
            yield model


class Command(BaseCommand):
    help = (
        "Normalise stored text (NFC, collapsed spaces, no control characters). Dry run by default: prints how many "
        "rows of each field would change; --commit writes them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--commit", action="store_true", help="write the changes (default: only count them)")

    def handle(self, *args: Any, **options: Any) -> None:
        commit: bool = options["commit"]
        verb = "changed" if commit else "would change"
        total, failed = 0, []
        for model in ocop_models():
            fields = text_fields(model)
            if not fields:
                continue
            try:
                with transaction.atomic():
                    counts = self.normalize_model(model, fields, commit=commit)
            except (IntegrityError, DataError) as exc:
                # A value that becomes equal to another under a unique constraint (or no longer fits): the model
                # is left as it was; the others go on.
                failed.append(model._meta.label)
                self.stderr.write(f"{model._meta.label}: not changed, the database refused: {exc}")
                continue
            for field in fields:
                n = counts[field.name]
                if n or options["verbosity"] > 1:
                    self.stdout.write(f"{model._meta.label}.{field.name}: {n}")
                total += n
        note = "" if commit else " (dry run: --commit writes them)"
        self.stdout.write(f"Total: {total} rows {verb}{note}")
        if failed:
            raise CommandError(f"Not normalised: {', '.join(failed)}")

    def normalize_model(
        self, model: type[models.Model], fields: list[models.Field[Any, Any]], *, commit: bool
    ) -> dict[str, int]:
        """Scan the model once (pk and its text fields), count and, when committing, write each field's changes."""
        names = [f.name for f in fields]
        by_name = {f.name: f for f in fields}
        multiline = {f.name: isinstance(f, models.TextField) for f in fields}
        counts = dict.fromkeys(names, 0)
        pending: dict[str, list[tuple[Any, str]]] = {name: [] for name in names}
        manager = model._base_manager  # every row, whatever a default manager hides
        # In pk order, so rows rewritten while the scan goes on are never met again (SQLite reads and writes on
        # the same connection); were one met again, it would be unchanged anyway.
        rows = manager.order_by("pk").values_list("pk", *names).iterator(chunk_size=2000)
        for pk, *values in rows:
            for name, value in zip(names, values, strict=True):
                if value is None:
                    continue
                new = scrub_text(value, multiline=multiline[name])
                if new == value:
                    continue
                counts[name] += 1
                if commit:
                    pending[name].append((pk, new))
                    if len(pending[name]) >= BATCH:
                        _write(model, by_name[name], pending[name])
                        pending[name] = []
        if commit:
            for name, batch in pending.items():
                _write(model, by_name[name], batch)
        return counts


def _write(model: type[models.Model], field: models.Field[Any, Any], batch: list[tuple[Any, str]]) -> None:
    if not batch:
        return
    # One UPDATE ... SET name = CASE pk WHEN ... per batch. queryset.update never touches auto_now fields.
    value = Case(*(When(pk=pk, then=Value(new)) for pk, new in batch), output_field=field)
    model._base_manager.filter(pk__in=[pk for pk, _new in batch]).update(**{field.name: value})
