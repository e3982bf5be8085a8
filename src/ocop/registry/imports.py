"""Imports of producers and products: each row matched to the record it is (id, identifier or barcode, else name and
commune), then created, updated with the fields that change, left unchanged, or set aside for review.

Rows are checked in memory against tables loaded once (places, product sets, the user's producers and products), so
ten thousand rows take seconds. What a published list merely lacks (a tax code, a commune) makes a flagged record or
a parked row, as the person chooses; what is wrong (a 9-digit tax code, an unknown product set) is an error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from ocop.core import audit
from ocop.core.bulk import update_rows
from ocop.core.cells import whole_digits
from ocop.core.excel import cell_text
from ocop.core.models import AuditAction
from ocop.core.text import fold
from ocop.registry import access
from ocop.registry.columns import (
    FALSE_WORDS,
    KIND_ALIASES,
    KIND_LABELS,
    PRODUCER_COLUMNS,
    PRODUCER_REQUIRED,
    PRODUCT_COLUMNS,
    PRODUCT_REQUIRED,
    TRUE_WORDS,
    kind_from_name,
)
from ocop.registry.importing import (
    CREATE,
    ERROR,
    UNCHANGED,
    UPDATE,
    Choices,
    Importer,
    ImportReport,
    Plan,
    Progress,
    RowIssue,
    save_changes,
)
from ocop.registry.matching import Place, PlaceStep, ProducerBook
from ocop.registry.models import ImportMode, IncompleteRows, ParkReason, Producer, Product
from ocop.registry.services import PRODUCER_FIELDS, producer_search_text, product_search_text
from ocop.registry.validators import (
    classify_identifier,
    normalize_identifier,
    normalize_phone,
    validate_phone,
)

__all__ = ["ImportReport", "RowIssue", "import_kinds", "register_import", "run_import"]  # what upper apps use


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


def _id(plan: Plan, title: str, value: Any) -> int | None:
    text = cell_text(value)
    if not text:
        return None
    pk = whole_digits(text)
    if pk is None:
        plan.fail(title, _("“%(value)s” is not a record id (a whole number from an export).") % {"value": text})
    return pk


def _phone_cell(values: dict[str, Any]) -> str:
    """A phone number typed into a number cell: Excel dropped its leading 0 (0987111222 became 987111222)."""
    value = values.get("phone")
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value) or value <= 0:
        return ""
    digits = str(int(value))
    return "0" + digits if len(digits) in (9, 10) else digits


def _too_long(plan: Plan, model: type[Any], title: str, name: str, value: str) -> None:
    limit = model._meta.get_field(name).max_length
    if limit and len(value) > limit:
        plan.fail(title, _("At most %(n)s characters (this cell has %(m)s).") % {"n": limit, "m": len(value)})


def _show(value: Any) -> Any:
    if isinstance(value, bool):
        return "x" if value else ""
    return "" if value is None else value


class _RegistryImporter(Importer):
    """What the producer and product imports share: the place step and the audit of what they saved."""

    def begin(self, report: ImportReport) -> None:
        self.places = PlaceStep(user=self.user, report=report, choices=self.choices, incomplete=self.incomplete)
        self.commune_names = self.places.parser.commune_names

    def place_text(self, plan: Plan, values: dict[str, Any]) -> tuple[str, str, str, str]:
        return (
            self.text(plan, values, "address"),
            self.text(plan, values, "commune"),
            self.text(plan, values, "district"),
            self.text(plan, values, "province"),
        )

    def commune_name(self, commune_id: int | None) -> str:
        return self.commune_names.get(commune_id, "") if commune_id else ""

    def audit_changes(self, plans: list[Plan], objs: list[Any]) -> None:
        audit.record_each(
            actor=self.user,
            action=AuditAction.IMPORT,
            entries=[(obj, plan.changes) for plan, obj in zip(plans, objs, strict=True)],
        )


class ProducerImporter(_RegistryImporter):
    columns = PRODUCER_COLUMNS
    required = PRODUCER_REQUIRED
    flag_columns = ("women_led", "ethnic_minority")
    kind = "producers"
    result_kind = "producer"

    def plan_rows(self, report: ImportReport, rows: list[tuple[int, dict[str, Any]]]) -> list[Plan]:
        self.begin(report)
        present = set(rows[0][1]) if rows else set()
        identifiers = {normalize_identifier(cell_text(v.get("identifier"))) for _n, v in rows} - {""}
        self.book = ProducerBook(self.user, identifiers, tables=self.places.parser.tables)
        seen_identifier: dict[str, int] = {}
        self.matched: dict[int, int] = {}  # an existing producer's id → the first row that matched it
        plans = []
        for index, (number, values) in enumerate(rows, start=1):
            self.tick(index, len(rows))
            plan = self.plan_row(number, values, present, seen_identifier)
            plans.append(plan)
        return plans

    def plan_row(self, number: int, values: dict[str, Any], present: set[str], seen_identifier: dict[str, int]) -> Plan:
        plan = Plan(row=number, action=CREATE, cells=self.cells(values))
        t = self.title
        name = self.text(plan, values, "name")
        if not name:
            plan.fail(t["name"], _("The producer's name is required."))
        raw_kind = self.text(plan, values, "kind")
        kind = KIND_ALIASES.get(fold(raw_kind)) if raw_kind else kind_from_name(name)
        if kind is None:
            message = (
                _("Unknown producer type “%(value)s”.") % {"value": raw_kind}
                if raw_kind
                else _("Write the producer's type (Doanh nghiệp, Hợp tác xã, Tổ hợp tác, Hộ kinh doanh, Khác).")
            )
            plan.fail(t["kind"], message)
        fields: dict[str, Any] = {
            "name": name,
            "identifier": normalize_identifier(self.text(plan, values, "identifier")),
            "legal_representative": self.text(plan, values, "legal_representative"),
            "phone": normalize_phone(_phone_cell(values) or self.text(plan, values, "phone")),
            "email": self.text(plan, values, "email"),
        }
        for key in ("name", "identifier", "legal_representative", "phone", "email"):
            _too_long(plan, Producer, t[key], key, fields[key])
        for key in ("women_led", "ethnic_minority"):
            if key in present:
                flag = _flag(values.get(key))
                if flag is None:
                    plan.fail(t[key], _("Write “x” or “có” for yes, leave empty for no."))
                fields[key] = bool(flag)
        if kind is not None and fields["identifier"] != "":
            try:
                classify_identifier(kind, fields["identifier"])
            except ValidationError as exc:
                plan.fail(t["identifier"], exc.messages[0])
        for key, check in (("phone", validate_phone), ("email", validate_email)):
            if fields[key]:
                try:
                    check(fields[key])
                except ValidationError as exc:
                    plan.fail(t[key], exc.messages[0])
        address, commune, district, province = self.place_text(plan, values)
        has_commune_columns = bool(commune or district)
        place_source = ", ".join(x for x in (commune, district, province) if x) if has_commune_columns else address
        if not (address or commune or district or province) and self._known(values, fields) is not None:
            place = Place()  # a row updating a known producer without a word of its place leaves the place as it is
        else:
            place = self.places.resolve(
                plan,
                self.places.address(text=address, commune=commune, district=district, province=province),
                column=t["commune"] if has_commune_columns or not address else t["address"],
                text=place_source,
            )
        # The street line; when the commune could not be placed, the whole address as written (nothing is lost).
        fields["address"] = address if has_commune_columns or place.commune_id is None else (place.street or address)
        _too_long(plan, Producer, t["address"], "address", fields["address"])
        ident = fields["identifier"]
        if ident:
            if ident in seen_identifier:
                plan.fail(
                    t["identifier"],
                    _("Identifier “%(value)s” is repeated from row %(row)s.")
                    % {"value": ident, "row": seen_identifier[ident]},
                )
            seen_identifier.setdefault(ident, number)
        plan.label = name
        if plan.action == ERROR or kind is None:
            return plan
        existing = self.match(plan, values, fields, place)
        if plan.action == ERROR:
            return plan
        if existing is not None and (first := self.matched.setdefault(existing.pk, number)) != number:
            # Two rows for one producer: the second would overwrite the first, and the file would never settle.
            plan.fail(t["name"], _("The same producer as row %(row)s.") % {"row": first})
            return plan
        if existing is None:
            self.plan_new(plan, kind, fields, place)
        else:
            self.plan_update(plan, existing, kind if raw_kind else None, fields, place)
        return plan

    def _known(self, values: dict[str, Any], fields: dict[str, Any]) -> Producer | None:
        """The producer a row names by id or identifier, if the user may edit it (quietly: match() says why not)."""
        pk = whole_digits(cell_text(values.get("id")))
        if pk is not None:
            return self.book.by_id.get(pk)
        return self.book.by_identifier.get(fields["identifier"]) if fields["identifier"] else None

    def match(self, plan: Plan, values: dict[str, Any], fields: dict[str, Any], place: Any) -> Producer | None:
        t = self.title
        pk = _id(plan, t["id"], values.get("id"))
        if pk is not None:
            found = self.book.by_id.get(pk)
            if found is None:
                plan.fail(t["id"], _("No producer with id %(id)s that you may edit.") % {"id": pk})
            return found
        ident = fields["identifier"]
        if ident:
            found = self.book.by_identifier.get(ident)
            if found is None and ident in self.book.taken_elsewhere:
                plan.fail(
                    t["identifier"],
                    _("A producer with identifier “%(value)s” is already registered.") % {"value": ident},
                )
            if found is not None:
                return found
        same = self.choices.same.get(plan.row)
        if same and same != "new":
            found = self.book.by_id.get(whole_digits(same) or 0)
            if found is not None:
                return found
        named = [p for p in self.book.named(fields["name"], place) if not (ident and p.identifier)]
        if len(named) > 1:
            plan.fail(
                t["name"],
                _("Several producers are called “%(name)s” here: give the id (ID column) of the one meant.")
                % {"name": fields["name"]},
            )
            return None
        if named:
            return named[0]
        first = self.book.planned_for(fields["name"], place)
        if first is not None:
            plan.fail(t["name"], _("The same producer as row %(row)s.") % {"row": first.row})
            return None
        self.book.plan_new(fields["name"], place, plan)
        if not ident:  # a row with its own identifier is its own producer
            plan.similar = self.book.look_alikes(fields["name"], place, plan)
            if plan.similar and same != "new":  # answered "new": the question stays on the page, answered
                plan.review(ParkReason.SIMILAR)
        return None

    def plan_new(self, plan: Plan, kind: str, fields: dict[str, Any], place: Any) -> None:
        producer = Producer(
            kind=kind,
            province_id=place.province_id,
            commune=self.places.label(place.commune_id),
            legacy_commune_id=place.legacy_commune_id,
            legacy_district_id=place.legacy_district_id if place.commune_id is None else None,
            **{k: fields.get(k, False if k in ("women_led", "ethnic_minority") else "") for k in (
                "name", "identifier", "legal_representative", "phone", "email", "address", "women_led",
                "ethnic_minority")},
        )  # fmt: skip
        producer.identifier_kind = classify_identifier(kind, producer.identifier) if producer.identifier else ""
        producer.search_text = producer_search_text(producer)
        plan.obj = producer
        flags = producer.data_flags
        plan.flags = [str(f.label) for f in flags]
        self.places.incomplete_rows(plan, flags)

    def plan_update(self, plan: Plan, producer: Producer, kind: str | None, fields: dict[str, Any], place: Any) -> None:
        t = self.title
        wanted: dict[str, Any] = {k: v for k, v in fields.items() if v != "" or isinstance(v, bool)}
        if kind:
            wanted["kind"] = kind
        if place.commune_id is not None:
            wanted["commune_id"] = place.commune_id
            if place.legacy_commune_id:
                wanted["legacy_commune_id"] = place.legacy_commune_id
            wanted["legacy_district_id"] = None
        elif producer.commune_id is None and place.legacy_district_id:
            wanted["legacy_district_id"] = place.legacy_district_id
        titles = {"commune_id": t["commune"], "legacy_commune_id": t["district"], "legacy_district_id": t["district"]}
        changed: set[str] = set()
        for name, value in wanted.items():
            before = getattr(producer, name)
            if before != value:
                changed.add(name)
                if name == "commune_id":
                    shown = [self.commune_name(before), self.commune_name(value)]
                elif name == "kind":
                    shown = [KIND_LABELS.get(before, before), KIND_LABELS.get(value, value)]  # type: ignore[call-overload]
                else:
                    shown = [_show(before), _show(value)]
                if name not in ("legacy_commune_id", "legacy_district_id"):
                    plan.changes[titles.get(name) or t.get(name, name)] = shown
                setattr(producer, name, value)
        # The province follows the commune, never a row's words alone (a district named in another province).
        province_id = self.places.parser.commune_province.get(producer.commune_id) if producer.commune_id else None
        if province_id is not None and producer.province_id != province_id:
            producer.province_id = province_id
            changed.add("province_id")
        if changed & {"kind", "identifier"} and producer.identifier:
            producer.identifier_kind = classify_identifier(producer.kind, producer.identifier)
            changed.add("identifier_kind")
        if changed & {"name", "identifier", "legal_representative"}:
            producer.search_text = producer_search_text(producer)
            changed.add("search_text")
        plan.record = producer.pk
        plan.obj = producer
        plan.extra["changed"] = changed
        plan.flags = [str(f.label) for f in producer.data_flags]
        plan.action = UPDATE if plan.changes else UNCHANGED
        if plan.action == UNCHANGED and producer.commune_id is not None:
            self.places.withdraw(plan)  # placed already: a question about its old address is noise

    def save(self, plans: list[Plan]) -> None:
        new = [p for p in plans if p.action == CREATE]
        changed = [p for p in plans if p.action == UPDATE]
        created = [p.obj for p in new]
        Producer.objects.bulk_create(created, batch_size=500)
        audit.record_many(actor=self.user, action=AuditAction.IMPORT, objs=created, fields=PRODUCER_FIELDS)
        if changed:
            save_changes(Producer, changed)
            self.audit_changes(changed, [p.obj for p in changed])
            _rename_products([p.obj for p in changed if "name" in p.extra["changed"]])


def _rename_products(producers: list[Producer]) -> None:
    """A producer's products are found by its name too: their search text follows a new name."""
    names = {p.pk: p.name for p in producers}
    products = list(Product.objects.filter(producer_id__in=list(names)).only("id", "name", "producer_id"))
    for product in products:
        product.search_text = product_search_text(product, names[product.producer_id])
    update_rows(Product, ["search_text"], products)


class ProductImporter(_RegistryImporter):
    columns = PRODUCT_COLUMNS
    required = PRODUCT_REQUIRED
    kind = "products"
    result_kind = "product"

    def plan_rows(self, report: ImportReport, rows: list[tuple[int, dict[str, Any]]]) -> list[Plan]:
        from ocop.registry.product_rows import ProductRows

        self.begin(report)
        return ProductRows(self, rows).plan()

    def save(self, plans: list[Plan]) -> None:
        from ocop.registry.product_rows import save_products

        save_products(self, plans)


IMPORTERS: dict[str, type[Importer]] = {"producers": ProducerImporter, "products": ProductImporter}


@dataclass(frozen=True)
class OtherImport:
    """An import that an upper app adds (the criteria catalogue, sales, the recognition history), with its own rules
    of who may run it."""

    importer: type[Importer]
    allowed: Callable[[Any], bool]
    template: Callable[[], bytes]
    title: Any  # a lazy translation
    done: str = ""  # where "see the list" goes after a commit: a list kind (accounts.Target) the back office links


OTHER_IMPORTS: dict[str, OtherImport] = {}


def register_import(kind: str, spec: OtherImport) -> None:
    OTHER_IMPORTS[kind] = spec


def import_kinds() -> list[str]:
    return sorted([*IMPORTERS, *OTHER_IMPORTS])


def importer_class(kind: str) -> type[Importer]:
    if kind in OTHER_IMPORTS:
        return OTHER_IMPORTS[kind].importer
    if kind not in IMPORTERS:
        raise ValueError(kind)
    return IMPORTERS[kind]


def can_import(user: Any, kind: str) -> bool:
    if kind in OTHER_IMPORTS:
        return OTHER_IMPORTS[kind].allowed(user)
    return kind in IMPORTERS and access.can_create_producer(user)


def make_importer(
    kind: str,
    *,
    user: Any,
    choices: Choices | None = None,
    progress: Progress | None = None,
    mode: str = ImportMode.ALL_OR_NOTHING,
    incomplete: str = IncompleteRows.CREATE,
    job: Any = None,
) -> Importer:
    cls = importer_class(kind)
    if not can_import(user, kind):
        raise PermissionDenied
    return cls(user=user, choices=choices, progress=progress, mode=mode, incomplete=incomplete, job=job)


def run_import(
    kind: str,
    source: IO[bytes] | str,
    *,
    user: Any,
    commit: bool,
    choices: Choices | None = None,
    progress: Progress | None = None,
    mode: str = ImportMode.ALL_OR_NOTHING,
    incomplete: str = IncompleteRows.CREATE,
    job: Any = None,
) -> ImportReport:
    """Check (and with commit=True, save) a workbook: all rows or none, or (mode park) the good rows with the rest
    parked for review."""
    importer = make_importer(
        kind, user=user, choices=choices, progress=progress, mode=mode, incomplete=incomplete, job=job
    )
    return importer.run(source, commit=commit)
