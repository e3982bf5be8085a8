"""`ocop import history FILE.xlsx`: the recognition lists provinces publish (one row per product recognised), entered
as the producers, products, decisions and certificates they record.

Each row is matched like any import (the producer by name and commune, the product by name, producer and commune, the
decision by level and number, the certificate by decision and product), so the same list imported twice adds
nothing. Certificates entered from history keep their decision's date (36 months from it), carry no signature they
never had, take their own number series ("LS-…"), and are written to the transparency log. A product recognised
several times gets its certificates in order, each superseding the one before.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.certificates import access, rules
from ocop.certificates.enums import IssuingLevel
from ocop.certificates.models import Certificate, Decision, DecisionItem
from ocop.core.cells import CellError, cell_date, cell_int, whole_digits
from ocop.core.excel import Kind, TitleBlock, write_workbook
from ocop.core.text import fold
from ocop.places.queries import issuing_body as unit_issuer
from ocop.registry.columns import KIND_ALIASES, kind_from_name
from ocop.registry.enums import ProducerKind, ProductStatus
from ocop.registry.importing import CREATE, ERROR, UNCHANGED, Importer, ImportReport, Plan
from ocop.registry.matching import Place, PlaceStep, ProducerBook, ProductBook, product_key
from ocop.registry.models import ParkReason, Producer, Product
from ocop.registry.services import producer_search_text, product_search_text
from ocop.registry.set_names import SetNames

COLUMNS = [
    ("product", "Tên sản phẩm"),
    ("producer", "Chủ thể"),
    ("kind", "Loại hình"),
    ("address", "Địa chỉ"),
    ("stars", "Hạng sao"),
    ("number", "Số quyết định"),
    ("date", "Ngày quyết định"),
    ("year", "Năm"),
    ("level", "Cấp công nhận"),
    ("group", "Nhóm sản phẩm"),
]
REQUIRED = ["Tên sản phẩm", "Chủ thể", "Địa chỉ", "Hạng sao", "Số quyết định"]
FIRST_YEAR = 2018  # the national OCOP programme's first recognitions
MAE_FROM = dt.date(2025, 3, 1)  # the Ministry of Agriculture and Environment replaced MARD
# The product groups of Decision 1048 (lists of 2019–2022) → today's group code or set code.

# The level as lists write it ("Huyện", "UBND huyện", "Tỉnh/Thành phố", "TP", "Trung ương", "Bộ NN&PTNT"…), by word.
LEVEL_WORDS = [
    (IssuingLevel.MINISTRY, ("trung uong", "tw", "bo", "quoc gia")),
    (IssuingLevel.DISTRICT, ("huyen", "quan", "thi xa")),
    (IssuingLevel.PROVINCE, ("tinh", "thanh pho", "tp")),
]


def parse_level(value: str) -> IssuingLevel | None:
    words = f" {fold(value)} "
    for level, keys in LEVEL_WORDS:
        if any(f" {key} " in words for key in keys):
            return level
    return None


def parse_stars(value: str) -> tuple[int, bool]:
    """(stars, potential 5 stars) from "4", "4 sao", "4*", "4★", "tiềm năng 5 sao", "4 sao (tiềm năng 5 sao)"."""
    folded = fold(value)
    if "tiem nang" in folded or folded.startswith("tn "):
        numbers = set(re.findall(r"\d+", folded))
        if "5" not in numbers or numbers - {"4", "5"}:  # "4 sao (tiềm năng 5 sao)" is one; "tiềm năng 5 sao 3" not
            raise CellError(_("“%(value)s”: write “tiềm năng 5 sao”.") % {"value": value})
        return 4, True
    digits = re.findall(r"\d+", folded)
    if len(digits) != 1 or int(digits[0]) not in (3, 4, 5):
        raise CellError(
            _("“%(value)s” is not a star rating: write 3, 4, 5 or “tiềm năng 5 sao” (3 sao, 4*, 5★ also do).")
            % {"value": value}
        )
    return int(digits[0]), False


def infer_level(stars: int, signed_on: dt.date) -> IssuingLevel:
    return rules.issuing_level_for(stars, signed_on)


def issuing_body(level: str, signed_on: dt.date, province_name: str, district_name: str) -> str:
    if level == IssuingLevel.MINISTRY:
        return "Bộ Nông nghiệp và Môi trường" if signed_on >= MAE_FROM else "Bộ Nông nghiệp và Phát triển nông thôn"
    if level == IssuingLevel.DISTRICT:
        return f"Ủy ban nhân dân {district_name}" if district_name else "Ủy ban nhân dân cấp huyện"
    return f"Ủy ban nhân dân {province_name}"


class HistoryImporter(Importer):
    kind = "history"
    result_kind = "certificate"
    columns = COLUMNS
    required = REQUIRED

    def plan_rows(self, report: ImportReport, rows: list[tuple[int, dict[str, Any]]]) -> list[Plan]:
        if not access.can_manage_any(self.user):
            raise PermissionDenied
        self.places = PlaceStep(user=self.user, report=report, choices=self.choices, incomplete=self.incomplete)
        self.producers = ProducerBook(self.user, set(), tables=self.places.parser.tables)
        self.set_names = SetNames()
        self.today = timezone.localdate()
        first = [self._read(number, values) for index, (number, values) in enumerate(rows, start=1)]
        known = {p.pk for _plan, f in first if f for p in [f.get("producer")] if isinstance(p, Producer) and p.pk}
        names = {pk: self.producers.by_id[pk].name for pk in known}
        self.products = ProductBook(self.user, known, set(), set(), names)
        self.new_products: dict[tuple[str, int], list[Product]] = defaultdict(list)
        self.decisions = _Decisions({f["number"] for _p, f in first if f and f.get("number")}, self.title["number"])
        self.issued_here = _issued_here(known)
        plans = []
        for index, (plan, fields) in enumerate(first, start=1):
            self.tick(index, len(first))
            if plan.action != ERROR and fields:
                self._match(plan, fields)
            plans.append(plan)
        return plans

    # ---- one row -------------------------------------------------------------------------------------------

    def _read(self, number: int, values: dict[str, Any]) -> tuple[Plan, dict[str, Any]]:
        plan = Plan(row=number, action=CREATE, cells=self.cells(values))
        t = self.title
        f: dict[str, Any] = {key: self.text(plan, values, key) for key in ("product", "producer", "address", "number")}
        if not f["product"] and not f["producer"]:  # a section heading ("II. Sản phẩm 4 sao") or a total line
            plan.fail(t["product"], _("The row names no product and no producer: is it a heading or a total?"))
            return plan, {}
        for key in ("product", "producer", "number"):
            if not f[key]:
                plan.fail(t[key], _("This cell is required."))
        plan.label = f"{f['product']} — {f['producer']}"
        try:
            f["stars"], f["potential"] = parse_stars(self.text(plan, values, "stars"))
        except CellError as exc:
            plan.fail(t["stars"], str(exc))
        self._date(plan, values, f)
        self._level(plan, values, f)
        raw_kind = self.text(plan, values, "kind")
        f["kind"] = (
            KIND_ALIASES.get(fold(raw_kind)) if raw_kind else kind_from_name(f["producer"]) or ProducerKind.OTHER
        )
        if f["kind"] is None:
            plan.fail(t["kind"], _("Unknown producer type “%(value)s”.") % {"value": raw_kind})
        group = self.text(plan, values, "group")
        found = self.set_names.find(group) if group else None
        if group and found is None:
            plan.fail(t["group"], self.set_names.unknown(group))
        f["set"], f["group_id"] = (found.product_set, found.group_id) if found else (None, None)
        address = self.places.address(text=f["address"])
        f["place"] = self.places.resolve(plan, address, column=t["address"], text=f["address"])
        f["district_label"] = address.district_name  # "huyện Gia Lâm": who issued a district's decision
        if plan.action == ERROR:
            return plan, f
        if f["place"].province_id is None or not access.can_manage(self.user, f["place"].province_id):
            plan.fail(t["address"], _("You may not enter recognitions of this province."))
            return plan, f
        f["producer"] = self._producer(plan, f)
        return plan, f

    def _date(self, plan: Plan, values: dict[str, Any], f: dict[str, Any]) -> None:
        t = self.title
        try:
            day = cell_date(values.get("date"))
            year = cell_int(values.get("year"))
        except CellError as exc:
            plan.fail(t["date"] if values.get("date") not in (None, "") else t["year"], str(exc))
            return
        if day is None and year is None:
            plan.fail(t["date"], _("Give the decision's date (dd/mm/yyyy), or at least its year."))
            return
        if day is not None and year is not None and day.year != year:
            plan.fail(t["year"], _("The year %(year)s is not the year of the date %(date)s.") % {
                "year": year, "date": day.strftime("%d/%m/%Y")})  # fmt: skip
            return
        if day is not None and day > self.today:
            message = _("The decision date %(date)s is in the future.") % {"date": day.strftime("%d/%m/%Y")}
            plan.fail(t["date"], message)
            return
        year = day.year if day is not None else year
        assert year is not None
        if year < FIRST_YEAR or year > self.today.year:
            message = _("OCOP recognitions are from %(first)s to %(now)s, not %(year)s.")
            plan.fail(
                t["year"] if day is None else t["date"],
                message % {"first": FIRST_YEAR, "now": self.today.year, "year": year},
            )
            return
        # Only the year known: the year's last day (never counted before it happened), shown as approximate.
        f["date"], f["approximate"] = (
            (day, False) if day is not None else (min(dt.date(year, 12, 31), self.today), True)
        )

    def _level(self, plan: Plan, values: dict[str, Any], f: dict[str, Any]) -> None:
        t = self.title
        raw = self.text(plan, values, "level")
        level = parse_level(raw) if raw else None
        if raw and level is None:
            plan.fail(
                t["level"],
                _("Write the level as Huyện, Tỉnh/Thành phố or Trung ương (not “%(value)s”).") % {"value": raw},
            )
            return
        if "stars" not in f or "date" not in f:
            return
        level = level or infer_level(f["stars"], f["date"])
        f["level"] = level
        stars, day = f["stars"], f["date"]
        if stars == 5 and level != IssuingLevel.MINISTRY:
            plan.fail(
                t["level"], _("Only the ministry recognises 5 stars; a province's top products are “tiềm năng 5 sao”.")
            )
        elif level == IssuingLevel.MINISTRY and stars != 5:
            plan.fail(t["stars"], _("The ministry recognises 5-star products only."))
        elif level == IssuingLevel.DISTRICT and (stars != 3 or day > rules.DISTRICTS_UNTIL):
            plan.fail(t["level"], _("Districts recognised 3-star products only, and only until 30 June 2025."))

    def _producer(self, plan: Plan, f: dict[str, Any]) -> Producer | None:
        """The row's producer: an existing one, or one new record shared by every row that names it."""
        place: Place = f["place"]
        book = self.producers
        named = book.named(f["producer"], place)
        if len(named) > 1:
            plan.fail(
                self.title["producer"], _("Several producers are called “%(name)s” here.") % {"name": f["producer"]}
            )
            return None
        if named:
            return named[0]
        planned = book.planned_for(f["producer"], place, complete=True)
        if planned is not None:
            return planned.obj  # type: ignore[no-any-return]
        similar = book.look_alikes(f["producer"], place, plan)
        same = self.choices.same.get(plan.row, "")
        if similar and whole_digits(same) in book.by_id:
            return book.by_id[whole_digits(same) or 0]
        producer = Producer(  # type: ignore[misc]
            kind=f["kind"], name=f["producer"], province_id=place.province_id,
            commune=self.places.label(place.commune_id), legacy_commune_id=place.legacy_commune_id,
            legacy_district_id=place.legacy_district_id if place.commune_id is None else None,
            address=place.street if place.commune_id is not None else f["address"],
        )  # fmt: skip
        producer.search_text = producer_search_text(producer)
        book.plan_new(f["producer"], place, Plan(row=plan.row, action=CREATE, cells={}, obj=producer))
        if similar:
            plan.similar = similar
            plan.extra["similar_kind"] = "producer"
            if same != "new":  # answered "new": the question stays on the page, answered
                plan.review(ParkReason.SIMILAR)
        return producer

    def _match(self, plan: Plan, f: dict[str, Any]) -> None:
        producer: Producer | None = f["producer"]
        if producer is None:
            return
        place: Place = f["place"]
        product = self._product(plan, producer, f)
        if product is None:
            return
        running = next((c for c in self.issued_here.get(product.pk or 0, []) if c[1] <= f["date"] <= c[2]), None)
        if running is not None:
            plan.fail(self.title["date"], _(
                "On this date the product holds certificate %(number)s, issued in OCOP Hub: a list does not replace "
                "it.") % {"number": running[0]})  # fmt: skip
            return
        decision = self.decisions.find(f, place.province_id, plan)
        if plan.action == ERROR:
            return
        item = self.decisions.item(decision, product)
        if item is not None:
            if (item.stars, item.potential_five) != (f["stars"], f["potential"]):
                plan.fail(self.title["stars"], _("Decision %(number)s records this product at %(stars)s stars.") % {
                    "number": f["number"], "stars": item.stars})  # fmt: skip
                return
            plan.action, plan.record = UNCHANGED, item.certificate.pk if hasattr(item, "certificate") else None
            if product.commune_id is not None:
                self.places.withdraw(plan)  # recorded and placed already: no question about its old address
            return
        key = (*self.decisions.key(f, place.province_id), id(product) if product.pk is None else product.pk)
        if key in self.decisions.rows:
            plan.fail(
                self.title["number"], _("The same recognition as row %(row)s.") % {"row": self.decisions.rows[key]}
            )
            return
        self.decisions.rows[key] = plan.row
        plan.obj = product
        plan.extra.update(producer=producer, decision=decision, fields=f)
        flags = list(dict.fromkeys([*producer.data_flags, *product.data_flags]))
        plan.flags = [str(x.label) for x in flags]
        self.places.incomplete_rows(plan, flags)

    def _product(self, plan: Plan, producer: Producer, f: dict[str, Any]) -> Product | None:
        place: Place = f["place"]
        book = self.products
        if producer.pk is not None:
            named = book.named(producer.pk, f["product"], place.commune_id)
            if len(named) > 1:
                plan.fail(
                    self.title["product"],
                    _("Several products of this producer are called “%(name)s”.") % {"name": f["product"]},
                )
                return None
            if named:
                named[0].producer = producer  # the row's producer, already loaded (its certificate names it)
                return named[0]
        key = (product_key(f["product"]), id(producer) if producer.pk is None else producer.pk)
        planned = self._planned_product(key, place.commune_id)
        if planned is not None:
            return planned
        same = self.choices.same.get(plan.row, "")
        if producer.pk is not None and book.get(whole_digits(same)) is not None:
            return book.get(whole_digits(same))
        product = Product(
            name=f["product"], product_set=f["set"], group_id=f["group_id"],
            province_id=place.province_id or producer.province_id,
            commune=self.places.label(place.commune_id), legacy_commune_id=place.legacy_commune_id,
            legacy_district_id=place.legacy_district_id if place.commune_id is None else None,
            status=ProductStatus.ACTIVE,
        )  # fmt: skip
        product.producer = producer
        product.search_text = product_search_text(product, producer.name)
        self.new_products[key].append(product)
        similar = book.look_alikes(producer.pk, f["product"], plan) if producer.pk is not None else []
        if similar and not plan.similar:
            plan.similar = similar
            plan.extra["similar_kind"] = "product"
            if same != "new":
                plan.review(ParkReason.SIMILAR)
        return product

    def _planned_product(self, key: tuple[str, int], commune_id: int | None) -> Product | None:
        """A new product of an earlier row, the same producer's of the same name: in the same commune, or one of the
        two without a commune (a row that places it completes it, as a row placing its producer does)."""
        for product in self.new_products.get(key, []):
            if product.commune_id == commune_id or product.commune_id is None or commune_id is None:
                if product.commune_id is None and commune_id is not None:
                    product.commune, product.legacy_district_id = self.places.label(commune_id), None
                return product
        return None

    # ---- saving --------------------------------------------------------------------------------------------

    def save(self, plans: list[Plan]) -> None:
        from ocop.certificates.history_save import save_history

        save_history(self.user, plans)


class _Decisions:
    """Decisions already recorded and their items, loaded once; new ones planned per row. A decision is its issuing
    body's number in a year: the province's (or ministry's) bodies, or one former district's."""

    def __init__(self, numbers: set[str], number_title: str) -> None:
        self.number_title = number_title
        self.known: dict[tuple[Any, ...], Decision] = {}
        wanted = sorted(numbers)
        for start in range(0, len(wanted), 500):
            for d in Decision.objects.filter(number__in=wanted[start : start + 500]):
                self.known[(d.province_id, d.level, d.legacy_district_id, d.year, d.number)] = d
        self.items: dict[tuple[int, int], DecisionItem] = {
            (i.decision_id, i.product_id): i
            for i in DecisionItem.objects.filter(decision__in=list(self.known.values())).select_related("certificate")
        }
        self.planned: dict[tuple[Any, ...], dict[str, Any]] = {}
        self.rows: dict[tuple[Any, ...], int] = {}

    @staticmethod
    def key(f: dict[str, Any], province_id: int | None) -> tuple[Any, ...]:
        district = f["place"].legacy_district_id if f["level"] == IssuingLevel.DISTRICT else None
        return (province_id or 0, f["level"], district, f["date"].year, f["number"])

    def find(self, f: dict[str, Any], province_id: int | None, plan: Plan) -> Decision | dict[str, Any]:
        key = self.key(f, province_id)
        existing = self.known.get(key)
        if existing is not None:
            if not existing.historical:  # issued (or being drafted) here: a list never adds to it
                plan.fail(self.number_title, _(
                    "Decision %(number)s of %(year)s is one made in OCOP Hub: its recognitions are recorded from it, "
                    "not from a list.") % {"number": f["number"], "year": f["date"].year})  # fmt: skip
                return existing
            if not f["approximate"] and existing.signed_on not in (None, f["date"]) and not existing.date_approximate:
                plan.fail("Ngày quyết định", _("Decision %(number)s is dated %(date)s.") % {
                    "number": f["number"], "date": existing.signed_on.strftime("%d/%m/%Y")})  # fmt: skip
            return existing
        planned = self.planned.get(key)
        if planned is None:
            planned = self.planned[key] = {"row": plan.row, "date": f["date"], "approximate": f["approximate"],
                                           "district_label": ""}  # fmt: skip
        elif not f["approximate"] and not planned["approximate"] and planned["date"] != f["date"]:
            plan.fail("Ngày quyết định", _("Row %(row)s gives decision %(number)s another date.") % {
                "row": planned["row"], "number": f["number"]})  # fmt: skip
        elif planned["approximate"] and not f["approximate"]:
            planned.update(date=f["date"], approximate=False)
        planned["district_label"] = planned["district_label"] or f.get("district_label", "")
        return planned

    def item(self, decision: Decision | dict[str, Any], product: Product) -> DecisionItem | None:
        if isinstance(decision, Decision) and product.pk is not None:
            return self.items.get((decision.pk, product.pk))
        return None


def _issued_here(producer_ids: set[int]) -> dict[int, list[tuple[str, dt.date, dt.date]]]:
    """The certificates issued in OCOP Hub to these producers' products, as (number, issued, valid until) by
    product: a list's row that falls in one of them is not history and is refused."""
    from ocop.certificates.history_save import SERIES

    found: dict[int, list[tuple[str, dt.date, dt.date]]] = defaultdict(list)
    wanted = sorted(producer_ids)
    for start in range(0, len(wanted), 500):
        rows = Certificate.objects.filter(producer_id__in=wanted[start : start + 500]).exclude(series=SERIES)
        for product_id, number, issued, until in rows.values_list("product_id", "number", "issued_on", "valid_until"):
            found[product_id].append((number, issued, until))
    return found


def history_template() -> bytes:
    """An example list in the published shape."""
    return write_workbook(
        title="Danh sách",
        headers=[t for _n, t in COLUMNS],
        rows=[
            ["Chè búp Ba Vì", "HTX Chè Ba Vì", "Hợp tác xã", "xã Ba Trại, huyện Ba Vì, Hà Nội", "4 sao",
             "5087/QĐ-UBND", dt.date(2019, 11, 12), 2019, "Tỉnh/Thành phố", "1-12"],
            ["Gốm Bát Tràng men lam", "Công ty TNHH Gốm Ví Dụ", "", "huyện Gia Lâm", "tiềm năng 5 sao",
             "4110/QĐ-UBND", "", 2022, "", "Thủ công mỹ nghệ, trang trí"],
        ],
        kinds=[None] * 7 + [Kind.ID],  # the year without a thousands separator
        block=TitleBlock(issuer=unit_issuer(), name=_("Import template: recognitions before OCOP Hub")),
    )  # fmt: skip
