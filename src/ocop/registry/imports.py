"""Excel imports of producers and products: a dry run listing every bad row, then an all-or-nothing commit.

Rows are checked in memory against tables loaded once (places, product sets, producers), so ten
thousand rows take seconds. Legacy addresses (former district and commune) are converted to today's
commune; a row whose former commune was split waits for the user to choose.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.core import audit
from ocop.core.bulk import insert_rows
from ocop.core.excel import ExcelError, cell_text, read_sheet
from ocop.core.models import AuditAction
from ocop.core.text import fold
from ocop.places.models import Commune
from ocop.places.queries import default_province
from ocop.places.resolver import PlaceResolver
from ocop.registry import access
from ocop.registry.columns import (
    FALSE_WORDS,
    KIND_ALIASES,
    PRODUCER_COLUMNS,
    PRODUCER_REQUIRED,
    PRODUCT_COLUMNS,
    PRODUCT_REQUIRED,
    STATUS_ALIASES,
    TRUE_WORDS,
)
from ocop.registry.enums import ProductStatus
from ocop.registry.models import Producer, Product, ProductPack, ProductSet
from ocop.registry.services import PRODUCER_FIELDS, PRODUCT_FIELDS, prepare_producer, product_search_text
from ocop.registry.validators import validate_gtin

Progress = Callable[[int, int], None]


@dataclass
class RowIssue:
    row: int
    column: str
    message: str


@dataclass
class Choice:
    row: int
    legacy: str
    candidates: list[tuple[int, str, bool]]
    chosen: int | None = None


@dataclass
class ImportReport:
    kind: str
    total: int = 0
    errors: list[RowIssue] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)
    created: int = 0
    committed: bool = False

    @property
    def pending_choices(self) -> list[Choice]:
        return [c for c in self.choices if c.chosen is None]

    @property
    def ok(self) -> bool:
        return not self.errors and not self.pending_choices

    @property
    def error_rows(self) -> int:
        return len({e.row for e in self.errors})

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportReport:
        return cls(
            kind=data["kind"],
            total=data["total"],
            errors=[RowIssue(**e) for e in data["errors"]],
            choices=[Choice(**{**c, "candidates": [tuple(x) for x in c["candidates"]]}) for c in data["choices"]],
            created=data["created"],
            committed=data["committed"],
        )


def _messages(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()}
    return {"": [str(m) for m in exc.messages]}


def _flag(value: Any) -> bool | None:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    word = fold(str(value))
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


class _Importer:
    columns: list[tuple[str, str]]
    required: list[str]
    kind: str

    def __init__(self, *, user: Any, choices: dict[int, int] | None = None, progress: Progress | None = None):
        self.user = user
        self.choices = choices or {}
        self.progress = progress
        self.places = PlaceResolver()
        province = default_province()
        self.default_province_id = province.pk if province else None
        self.allowed_communes = set(access.communes_for_new_records(user).values_list("id", flat=True))
        self.title = dict(self.columns)
        self.commune_names = self.places.commune_names
        self._labels: dict[int, Commune] = {}
        self._producers: dict[int, Producer] = {}

    def commune_label(self, commune_id: int | None) -> Commune | None:
        """A light Commune carrying only id and name, so audit entries read well without a query (one shared
        instance per commune: imports repeat the same few thousand times)."""
        if commune_id is None:  # waiting for the user's choice: the row is not saved this time
            return None
        label = self._labels.get(commune_id)
        if label is None:
            label = self._labels[commune_id] = Commune(pk=commune_id, name=self.commune_names[commune_id])
        return label

    def producer_label(self, producer_id: int, name: str) -> Producer:
        """The same for the producer an imported product belongs to."""
        label = self._producers.get(producer_id)
        if label is None:
            label = self._producers[producer_id] = Producer(pk=producer_id, name=name)
        return label

    def error(self, report: ImportReport, row: int, field_name: str, message: str) -> None:
        report.errors.append(RowIssue(row=row, column=self.title.get(field_name, field_name), message=message))

    def place(self, report: ImportReport, number: int, values: dict[str, Any]) -> tuple[int | None, int | None]:
        match = self.places.resolve(
            province=values.get("province"),
            commune=values.get("commune"),
            district=values.get("district"),
            default_province_id=self.default_province_id,
        )
        if match.error:
            self.error(report, number, match.column or "commune", match.error)
            return None, None
        if match.needs_choice:
            chosen = self.choices.get(number)
            valid = {c[0] for c in match.candidates}
            legacy = f"{values.get('commune')}, {values.get('district') or ''}".strip(", ")
            report.choices.append(
                Choice(
                    row=number, legacy=legacy, candidates=match.candidates, chosen=chosen if chosen in valid else None
                )
            )
            return (chosen if chosen in valid else None), match.legacy_commune_id
        return match.commune_id, match.legacy_commune_id

    def rows(self, source: IO[bytes] | str) -> list[tuple[int, dict[str, Any]]]:
        sheet = read_sheet(source, required=self.required)
        by_title = {title: name for name, title in self.columns}
        return [(n, {by_title[k]: v for k, v in r.items() if k in by_title}) for n, r in sheet.rows]

    def run(self, source: IO[bytes] | str, *, commit: bool) -> ImportReport:
        report = ImportReport(kind=self.kind)
        try:
            rows = self.rows(source)
        except ExcelError as exc:
            report.errors.append(RowIssue(row=0, column="", message=str(exc)))
            return report
        report.total = len(rows)
        if not rows:
            report.errors.append(RowIssue(row=0, column="", message=_("The workbook has no data rows.")))
            return report
        built = self.check(report, rows)
        if commit and report.ok:
            with transaction.atomic():
                report.created = self.save(built)
            report.committed = True
        return report

    def tick(self, done: int, total: int) -> None:
        if self.progress and (done % 250 == 0 or done == total):
            self.progress(done, total)

    def check(self, report: ImportReport, rows: list[tuple[int, dict[str, Any]]]) -> list[Any]:
        raise NotImplementedError

    def save(self, built: list[Any]) -> int:
        raise NotImplementedError


class ProducerImporter(_Importer):
    columns = PRODUCER_COLUMNS
    required = PRODUCER_REQUIRED
    kind = "producers"

    def check(self, report: ImportReport, rows: list[tuple[int, dict[str, Any]]]) -> list[Producer]:
        identifiers = [cell_text(v.get("identifier")).replace(" ", "").upper() for _n, v in rows]
        taken = set(
            Producer.objects.filter(identifier__in=[i for i in identifiers if i]).values_list("identifier", flat=True)
        )
        seen: dict[str, int] = {}
        built: list[Producer] = []
        for index, (number, values) in enumerate(rows, start=1):
            self.tick(index, len(rows))
            before = len(report.errors)
            kind = KIND_ALIASES.get(fold(cell_text(values.get("kind"))))
            if kind is None:
                self.error(
                    report, number, "kind", _("Unknown producer type “%(value)s”.") % {"value": values.get("kind")}
                )
            flags = {}
            for name in ("women_led", "ethnic_minority"):
                flags[name] = _flag(values.get(name))
                if flags[name] is None:
                    self.error(report, number, name, _("Write “x” or “có” for yes, leave empty for no."))
            commune_id, legacy_id = self.place(report, number, values)
            if commune_id is not None and commune_id not in self.allowed_communes:
                self.error(report, number, "commune", _("You may not register producers in this commune."))
            # Rows whose places or references did not resolve are reported and never saved.
            producer = Producer(  # type: ignore[misc]
                kind=kind or "",
                name=cell_text(values.get("name")),
                identifier=cell_text(values.get("identifier")),
                legal_representative=cell_text(values.get("legal_representative")),
                phone=cell_text(values.get("phone")),
                email=cell_text(values.get("email")),
                address=cell_text(values.get("address")),
                commune_id=commune_id,
                legacy_commune_id=legacy_id,
                women_led=bool(flags["women_led"]),
                ethnic_minority=bool(flags["ethnic_minority"]),
            )
            if kind is not None:
                try:
                    prepare_producer(producer, check_unique=False)
                except ValidationError as exc:
                    for name, msgs in _messages(exc).items():
                        if name in ("commune", "legacy_commune", "identifier_kind"):
                            continue
                        for m in msgs:
                            self.error(report, number, name, m)
            if producer.identifier:
                if producer.identifier in taken:
                    self.error(
                        report,
                        number,
                        "identifier",
                        _("A producer with identifier “%(value)s” is already registered.")
                        % {"value": producer.identifier},
                    )
                elif producer.identifier in seen:
                    self.error(
                        report,
                        number,
                        "identifier",
                        _("Identifier “%(value)s” is repeated from row %(row)s.")
                        % {"value": producer.identifier, "row": seen[producer.identifier]},
                    )
                else:
                    seen[producer.identifier] = number
            if len(report.errors) == before:
                producer.commune = self.commune_label(producer.commune_id)  # type: ignore[assignment]
                built.append(producer)
        return built

    def save(self, built: list[Producer]) -> int:
        Producer.objects.bulk_create(built, batch_size=500)
        audit.record_many(actor=self.user, action=AuditAction.IMPORT, objs=built, fields=PRODUCER_FIELDS)
        return len(built)


class ProductImporter(_Importer):
    columns = PRODUCT_COLUMNS
    required = PRODUCT_REQUIRED
    kind = "products"

    def check(
        self, report: ImportReport, rows: list[tuple[int, dict[str, Any]]]
    ) -> list[tuple[Product, ProductPack | None]]:
        sets: dict[str, int] = {}
        set_objects: dict[int, ProductSet] = {}
        for ps in ProductSet.objects.filter(is_active=True).only("id", "code", "name"):
            sets[fold(ps.code)] = ps.pk
            sets[fold(ps.name)] = ps.pk
            set_objects[ps.pk] = ps
        wanted = {cell_text(v.get("producer_identifier")).replace(" ", "").upper() for _n, v in rows} - {""}
        writable = access.producers_writable_by(self.user)
        by_identifier: dict[str, tuple[int, str]] = {}
        wanted_list = sorted(wanted)
        for start in range(0, len(wanted_list), 500):
            for pk, ident, name in writable.filter(identifier__in=wanted_list[start : start + 500]).values_list(
                "id", "identifier", "name"
            ):
                by_identifier[ident] = (pk, name)
        names_wanted = {fold(cell_text(v.get("producer_name"))) for _n, v in rows if not v.get("producer_identifier")}
        by_name: dict[str, list[tuple[int, str]]] = {}
        if names_wanted - {""}:
            for pk, name in writable.values_list("id", "name"):
                if fold(name) in names_wanted:
                    by_name.setdefault(fold(name), []).append((pk, name))
        built: list[tuple[Product, ProductPack | None]] = []
        for index, (number, values) in enumerate(rows, start=1):
            self.tick(index, len(rows))
            before = len(report.errors)
            ident = cell_text(values.get("producer_identifier")).replace(" ", "").upper()
            producer: tuple[int, str] | None = None
            if ident:
                producer = by_identifier.get(ident)
                if producer is None:
                    self.error(
                        report,
                        number,
                        "producer_identifier",
                        _("No producer with identifier “%(value)s” that you may edit.") % {"value": ident},
                    )
            else:
                candidates = by_name.get(fold(cell_text(values.get("producer_name"))), [])
                if len(candidates) == 1:
                    producer = candidates[0]
                else:
                    self.error(
                        report,
                        number,
                        "producer_name",
                        _("Give the producer's identifier: no single producer you may edit is called “%(value)s”.")
                        % {"value": cell_text(values.get("producer_name"))},
                    )
            set_id = sets.get(fold(cell_text(values.get("product_set"))))
            if set_id is None:
                self.error(
                    report,
                    number,
                    "product_set",
                    _("Unknown product set “%(value)s”.") % {"value": cell_text(values.get("product_set"))},
                )
            status = STATUS_ALIASES.get(fold(cell_text(values.get("status"))) or "active")
            if status is None:
                self.error(report, number, "status", _("Unknown status “%(value)s”.") % {"value": values.get("status")})
            commune_id, legacy_id = self.place(report, number, values)
            product = Product(  # type: ignore[misc]
                producer_id=producer[0] if producer else None,
                name=cell_text(values.get("name")),
                product_set_id=set_id,
                commune_id=commune_id,
                legacy_commune_id=legacy_id,
                description=cell_text(values.get("description")),
                story=cell_text(values.get("story")),
                status=status or ProductStatus.ACTIVE,
            )
            try:
                product.full_clean(exclude=["producer", "product_set", "commune", "legacy_commune", "search_text"])
            except ValidationError as exc:
                for name, msgs in _messages(exc).items():
                    for m in msgs:
                        self.error(report, number, name, m)
            pack = None
            pack_name, gtin = cell_text(values.get("pack")), cell_text(values.get("gtin"))
            if pack_name or gtin:
                try:
                    validate_gtin(gtin)
                except ValidationError as exc:
                    self.error(report, number, "gtin", str(exc.messages[0]))
                pack = ProductPack(
                    name=pack_name or product.name[:120], size=cell_text(values.get("size"))[:60], gtin=gtin
                )
            if len(report.errors) == before and producer is not None:
                product.search_text = product_search_text(product, producer[1])
                product.producer = self.producer_label(producer[0], producer[1])
                product.product_set = set_objects[product.product_set_id]
                product.commune = self.commune_label(product.commune_id)  # type: ignore[assignment]
                built.append((product, pack))
        return built

    def save(self, built: list[tuple[Product, ProductPack | None]]) -> int:
        products = [p for p, _pack in built]
        now = timezone.now()
        Product.objects.bulk_create(products, batch_size=500)
        insert_rows(
            ProductPack,
            ["created_at", "updated_at", "product_id", "name", "size", "gtin"],
            ((now, now, product.pk, pack.name, pack.size, pack.gtin) for product, pack in built if pack is not None),
        )
        audit.record_many(actor=self.user, action=AuditAction.IMPORT, objs=products, fields=PRODUCT_FIELDS)
        return len(products)


IMPORTERS: dict[str, type[_Importer]] = {"producers": ProducerImporter, "products": ProductImporter}


@dataclass(frozen=True)
class OtherImport:
    """An import that an upper app adds (the criteria catalogue), with its own rules of who may run it."""

    runner: Callable[..., ImportReport]  # (source, *, user, commit) → ImportReport
    allowed: Callable[[Any], bool]
    template: Callable[[], bytes]
    title: Any  # a lazy translation
    done_url: str = ""  # where "see the list" goes after a commit (a URL name)


OTHER_IMPORTS: dict[str, OtherImport] = {}


def register_import(kind: str, spec: OtherImport) -> None:
    OTHER_IMPORTS[kind] = spec


def import_kinds() -> list[str]:
    return sorted([*IMPORTERS, *OTHER_IMPORTS])


def can_import(user: Any, kind: str) -> bool:
    if kind in OTHER_IMPORTS:
        return OTHER_IMPORTS[kind].allowed(user)
    return kind in IMPORTERS and access.can_create_producer(user)


def run_import(
    kind: str,
    source: IO[bytes] | str,
    *,
    user: Any,
    commit: bool,
    choices: dict[int, int] | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Check (and with commit=True, save) a workbook. Nothing is written unless every row is good."""
    if kind in OTHER_IMPORTS:
        return OTHER_IMPORTS[kind].runner(source, user=user, commit=commit)
    if kind not in IMPORTERS:
        raise ValueError(kind)
    if not access.can_create_producer(user):
        raise PermissionDenied
    return IMPORTERS[kind](user=user, choices=choices, progress=progress).run(source, commit=commit)
