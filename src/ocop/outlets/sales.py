"""Monthly sales per outlet and product, entered on a page or imported from Excel; the producer is credited."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ocop.accounts.models import Role
from ocop.accounts.permissions import scope_of
from ocop.core import audit
from ocop.core.cells import whole_digits
from ocop.core.excel import ExcelError, Kind, TitleBlock, cell_text, read_sheet, write_workbook
from ocop.core.models import AuditAction
from ocop.core.text import fold
from ocop.outlets import access, rules, sales_months
from ocop.outlets.models import Outlet, SalesRecord, StockItem
from ocop.outlets.signals import sales_recorded
from ocop.places.queries import issuing_body
from ocop.registry.access import products_visible_to
from ocop.registry.importing import (
    CREATE,
    ERROR,
    UNCHANGED,
    UPDATE,
    Importer,
    ImportReport,
    Plan,
    RowIssue,
    total_row,
)
from ocop.registry.models import ProducerMember, Product

COLUMNS = [
    ("outlet", "Mã điểm bán"),
    ("month", "Tháng (MM/YYYY)"),
    ("product", "Mã sản phẩm"),
    ("name", "Tên sản phẩm"),
    ("quantity", "Số lượng"),
    ("revenue", "Doanh thu (₫)"),
]
# The revenue's heading before 12/2026 (its cells then showed ₫ under "đồng"): sheets filled in since still import.
OLD_REVENUE = "Doanh thu (đồng)"
SHEET = "Doanh số"
REQUIRED = ["outlet", "month", "product", "quantity", "revenue"]
MONTH = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$", re.ASCII)


# The quantity column holds 12 digits, 2 of them decimals: anything from 10^10 up cannot be stored (SQLite would
# keep it as a float that no page can read back as a decimal again).
_QUANTITY_FIELD = SalesRecord._meta.get_field("quantity")
assert isinstance(_QUANTITY_FIELD, models.DecimalField)
CENT = Decimal(1).scaleb(-_QUANTITY_FIELD.decimal_places)
QUANTITY_LIMIT = Decimal(10) ** (_QUANTITY_FIELD.max_digits - _QUANTITY_FIELD.decimal_places)
# Revenue is a 64-bit integer, but a province's totals add rows up in the database, and SQLite's SUM() fails on an
# overflow: a row below 10^12 đồng (a thousand billion, far above any one product's month at one outlet) keeps
# millions of rows summable.
REVENUE_LIMIT = 10**12
# Months outside these years are typing slips; and the pages read up to a month's last day, which 12/9999 has no
# next month to find.
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass
class Entry:
    """One row to record: product id, quantity and revenue as typed (checked here)."""

    product_id: Any
    quantity: Any
    revenue: Any
    row: int = 0


def parse_month(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        month = value.replace(day=1)
    else:
        match = MONTH.match(cell_text(value))
        if not match or not 1 <= int(match[1]) <= 12 or not FIRST_YEAR <= int(match[2]) <= LAST_YEAR:
            raise ValidationError(_("Write the month as MM/YYYY, e.g. 03/2026."))
        month = dt.date(int(match[2]), int(match[1]), 1)
    if not FIRST_YEAR <= month.year <= LAST_YEAR:
        raise ValidationError(_("Write the month as MM/YYYY, e.g. 03/2026."))
    return month


def _limit(number: int | Decimal) -> str:
    return number_format(number, force_grouping=True)


def quantity_of(value: Any) -> Decimal:
    """A quantity as the column stores it: finite, not negative, below 10^10, rounded to hundredths."""
    text = cell_text(value).replace(" ", "").replace(",", ".")
    try:
        number = Decimal(text) if text.isascii() else Decimal("NaN")  # Decimal() also reads "١٢" as 12
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():  # "NaN", "Infinity" and words alike
        raise ValidationError(_("The quantity must be a number."))
    if number < 0:
        raise ValidationError(_("The quantity cannot be negative."))
    # Compared before rounding (a number of 10^308 cannot be rounded to hundredths) and after (9999999999.999 rounds
    # up to 10^10).
    if number >= QUANTITY_LIMIT or number.quantize(CENT) >= QUANTITY_LIMIT:
        raise ValidationError(_("The quantity must be less than %(limit)s.") % {"limit": _limit(QUANTITY_LIMIT)})
    return number.quantize(CENT).copy_abs()  # copy_abs: "-0" is 0


def revenue_of(value: Any) -> int:
    """Revenue in whole đồng: "1.250.000 ₫" is 1250000 (dots and commas group thousands), below REVENUE_LIMIT."""
    whole = _("The revenue must be a whole number of đồng, e.g. 1.250.000.")
    if isinstance(value, float) and not value.is_integer():  # a number cell 2400000.5: its dot is not a grouping
        raise ValidationError(whole)
    text = re.sub(r"[\s.,₫đ]|VND|vnđ", "", cell_text(value), flags=re.IGNORECASE)
    digits = text.removeprefix("-")
    if not (digits.isascii() and digits.isdecimal()):
        raise ValidationError(whole)
    digits = digits.lstrip("0") or "0"
    if text.startswith("-") and digits != "0":
        raise ValidationError(_("The revenue cannot be negative."))
    number = whole_digits(digits)  # None past 18 digits: too large as well
    if number is None or number >= REVENUE_LIMIT:
        raise ValidationError(_("The revenue must be less than %(limit)s đồng.") % {"limit": _limit(REVENUE_LIMIT)})
    return number


def product_number(value: Any) -> int | None:
    """The product id a cell or a form field names: ASCII digits, as many as an id has; else None."""
    return whole_digits(cell_text(value))


def _stocked(outlet_ids: set[int], month: dt.date) -> set[tuple[int, int]]:
    """(outlet, product) pairs on the shelf at some point of the month."""
    end = rules.month_end(month)
    return set(
        StockItem.objects.filter(outlet_id__in=outlet_ids, product__isnull=False, added_on__lte=end)
        .filter(Q(removed_on__isnull=True) | Q(removed_on__gte=month))
        .values_list("outlet_id", "product_id")
    )


def _known_products(by: Any, outlet: Outlet, ids: set[int]) -> dict[int, Product]:
    """The products among `ids` that `by` may be told about: those in their registry scope and those ever on this
    outlet's shelf. Any other id gets the same answer as an id no product has, so a sales row never reveals the
    name (or the existence) of another province's product, published or not."""
    shelf = StockItem.objects.filter(outlet=outlet, product_id__in=ids).values("product_id")
    return (
        Product.objects.filter(pk__in=ids)
        .filter(Q(pk__in=products_visible_to(by).filter(pk__in=ids).values("pk")) | Q(pk__in=shelf))
        .in_bulk()
    )


def _check(
    by: Any,
    outlet: Outlet,
    month: dt.date,
    entries: list[Entry],
    stocked: set[tuple[int, int]],
    errors: list[RowIssue],
) -> list[SalesRecord]:
    numbers = [product_number(entry.product_id) for entry in entries]
    products = _known_products(by, outlet, {n for n in numbers if n is not None})
    built = []
    seen: set[int] = set()
    for entry, number in zip(entries, numbers, strict=True):
        issues = len(errors)
        product = products.get(number) if number is not None else None
        if product is None:
            message = _("Unknown product code “%(code)s”, or not on the shelf of %(outlet)s.") % {
                "code": cell_text(entry.product_id)[:40],
                "outlet": outlet.name,
            }
            errors.append(RowIssue(entry.row, "product", message))
        elif product.pk in seen:  # "5" and "05" are the same product: one row each month
            message = _("Product %(code)s appears twice for this outlet and month.") % {"code": product.pk}
            errors.append(RowIssue(entry.row, "product", message))
        elif (outlet.pk, product.pk) not in stocked:
            errors.append(
                RowIssue(
                    entry.row,
                    "product",
                    _("%(outlet)s did not stock “%(product)s” in %(month)s.")
                    % {"outlet": outlet.name, "product": product.name, "month": month.strftime("%m/%Y")},
                )
            )
        if product is not None:
            seen.add(product.pk)
        quantity: Decimal | None = None
        revenue: int | None = None
        try:
            quantity = quantity_of(entry.quantity)
        except ValidationError as exc:
            errors.append(RowIssue(entry.row, "quantity", exc.messages[0]))
        try:
            revenue = revenue_of(entry.revenue)
        except ValidationError as exc:
            errors.append(RowIssue(entry.row, "revenue", exc.messages[0]))
        if len(errors) == issues and product is not None and quantity is not None and revenue is not None:
            record = SalesRecord(
                outlet=outlet,
                month=month,
                product=product,
                producer_id=product.producer_id,
                quantity=quantity,
                revenue=revenue,
            )
            record.row = entry.row  # type: ignore[attr-defined]  # the workbook row it came from
            built.append(record)
    return built


def _check_month(month: dt.date) -> None:
    if month > timezone.localdate().replace(day=1):
        raise ValidationError(_("%(month)s has not begun yet.") % {"month": month.strftime("%m/%Y")})


@transaction.atomic
def _save(built: list[SalesRecord], by: Any) -> int:
    """Write the rows (a month's row of a product replaced), and their outlets' monthly sums with them."""
    for record in built:
        record.entered_by = by if getattr(by, "pk", None) else None
    SalesRecord.objects.bulk_create(
        built,
        update_conflicts=True,
        unique_fields=["outlet", "month", "product"],
        update_fields=["quantity", "revenue", "entered_by", "updated_at"],
    )
    sales_months.keep((r.outlet_id, r.month) for r in built)
    transaction.on_commit(lambda: sales_recorded.send(sender=SalesRecord))
    return len(built)


def producers_shown(user: Any, outlet: Outlet) -> set[int] | None:
    """Whose rows of the outlet's sales `user` reads: None for all of them (with the outlet's total) for the outlet's
    operators, the officers who manage it, the commune's officers and administrators; otherwise (a producer, who sees
    the outlet because its products are on the shelf) only the producers it belongs to: a competitor's figures are
    its own business."""
    scope = scope_of(user)
    if scope.is_admin or outlet.commune_id in scope.communes or access.can_operate(user, outlet):
        return None
    if Role.PRODUCER not in scope.roles:
        return set()
    return set(ProducerMember.objects.filter(user=user).values_list("producer_id", flat=True))


def records_visible_to(user: Any) -> models.QuerySet[SalesRecord]:
    """The sales rows `user` reads, by the rule of `producers_shown`: every row of the outlets they manage, operate or
    oversee as the commune's officer; elsewhere only their own products' rows."""
    scope = scope_of(user)
    if scope.is_admin:
        return SalesRecord.objects.all()
    q = Q(outlet__province_id__in=access.managed_provinces(user)) | Q(outlet__commune_id__in=scope.communes)
    if Role.OUTLET_OPERATOR in scope.roles:
        q |= Q(outlet__operator_id__in=access.operated_by(user).values("operator_id"))
    if Role.PRODUCER in scope.roles:
        q |= Q(producer_id__in=ProducerMember.objects.filter(user=user).values("producer_id"))
    return SalesRecord.objects.filter(q)


def records_of(user: Any, outlet: Outlet) -> models.QuerySet[SalesRecord]:
    """The outlet's sales rows `user` reads (an outlet got through the gateway), by the rule of `producers_shown`."""
    shown = producers_shown(user, outlet)
    rows = SalesRecord.objects.filter(outlet=outlet)
    return rows if shown is None else rows.filter(producer_id__in=shown)


@transaction.atomic
def record_sales(*, by: Any, outlet: Outlet, month: dt.date, entries: list[Entry]) -> int:
    """Record (or correct) a month's sales of the outlet's products. Every row is checked first; nothing is written
    unless all are good. Side effects: audit entry."""
    access.require(access.can_operate(by, outlet))
    month = month.replace(day=1)
    try:
        _check_month(month)
    except ValidationError as exc:
        raise ValidationError({"month": exc.messages}) from None
    errors: list[RowIssue] = []
    built = _check(by, outlet, month, entries, _stocked({outlet.pk}, month), errors)
    if errors:
        raise ValidationError({f"{e.column}-{e.row}": [e.message] for e in errors})
    count = _save(built, by)
    audit.record(actor=by, action=AuditAction.CHANGE, obj=outlet, changes={"sales": [None, f"{month:%m/%Y}: {count}"]})
    return count


# ---- Excel ----------------------------------------------------------------------------------------


def can_import_sales(user: Any) -> bool:
    scope = scope_of(user)
    return access.can_manage_any(user) or (Role.OUTLET_OPERATOR in scope.roles and access.operated_by(user).exists())


# The month stays text (MM/YYYY: a date cell would be a day); the product's id is digits without separators.
SHEET_KINDS = [None, None, Kind.ID, None, Kind.NUMBER, Kind.MONEY]


def sales_template() -> bytes:
    return write_workbook(
        title=SHEET,
        headers=[t for _n, t in COLUMNS],
        rows=[["01-DB-00001", "03/2026", "123", "Tên sản phẩm (để đối chiếu, không bắt buộc)", 40, 2_400_000]],
        kinds=SHEET_KINDS,
        block=TitleBlock(issuer=issuing_body(), name=_("Import template: monthly sales")),
    )


def _quantity_cell(quantity: Decimal) -> int | Decimal:
    return int(quantity) if quantity == quantity.to_integral_value() else quantity


def outlet_sheet(outlet: Outlet, month: dt.date) -> bytes:
    """A month's sheet for one outlet: a row per product on its shelf at some point of that month (the ones the
    import takes for the month), with what is recorded so far; a product put on the shelf later is not listed."""
    month = month.replace(day=1)
    recorded = {r.product_id: r for r in SalesRecord.objects.filter(outlet=outlet, month=month)}
    stocked = {product for _outlet, product in _stocked({outlet.pk}, month)}
    rows = []
    for product in Product.objects.filter(pk__in=stocked | set(recorded)).order_by("name", "pk"):
        done = recorded.get(product.pk)
        rows.append(
            [outlet.code, month.strftime("%m/%Y"), str(product.pk), product.name,
             _quantity_cell(done.quantity) if done else None, done.revenue if done else None]
        )  # fmt: skip
    block = TitleBlock(
        issuer=issuing_body(outlet.province_id, outlet.commune_id),
        name=_("Monthly sales of %(outlet)s") % {"outlet": f"{outlet.code} {outlet.name}"},
        period=f"{month:%m/%Y}",
    )
    return write_workbook(title=SHEET, headers=[t for _n, t in COLUMNS], rows=rows, kinds=SHEET_KINDS,
                          block=block)  # fmt: skip


class SalesImporter(Importer):
    """A month's sales per outlet and product: a row is created, or updates (or leaves unchanged) what the outlet
    already reported for that month and product."""

    kind = "sales"
    result_kind = "sales"
    columns = COLUMNS
    required = [dict(COLUMNS)[c] for c in REQUIRED]

    def read(self, source: IO[bytes] | str) -> list[tuple[int, dict[str, Any]]]:
        """The data rows, by the revenue's heading of now or of before (OLD_REVENUE); a row with neither quantity
        nor revenue is skipped silently (nothing sold, nothing to report: the month's sheet lists every product on
        the shelf), as is a total row under the table (named in the report)."""
        revenue = self.title["revenue"]
        titles = [t for _n, t in self.columns]
        sheet = read_sheet(source, required=[t for t in self.required if t != revenue], columns=[*titles, OLD_REVENUE])
        if not {fold(revenue), fold(OLD_REVENUE)} & {fold(h) for h in sheet.headers}:
            raise ExcelError(_("Missing column(s): %(columns)s.") % {"columns": revenue})
        by_title = {title: name for name, title in self.columns} | {OLD_REVENUE: "revenue"}
        rows = []
        for n, r in sheet.rows:
            values = {by_title[k]: v for k, v in r.items() if k in by_title}
            if total := total_row(r):
                self.skipped.append([n, total])
            elif cell_text(values.get("quantity")) or cell_text(values.get("revenue")):
                rows.append((n, values))
        return rows

    def plan_rows(self, report: ImportReport, rows: list[tuple[int, dict[str, Any]]]) -> list[Plan]:
        if not can_import_sales(self.user):
            raise PermissionDenied
        t = self.title
        codes = {cell_text(r.get("outlet")).upper() for _n, r in rows}
        outlets = {o.code: o for o in access.outlets_visible_to(self.user).filter(code__in=codes)}
        plans: dict[int, Plan] = {}
        groups: dict[tuple[int, dt.date], list[Entry]] = {}
        for number, r in rows:
            plan = plans[number] = Plan(row=number, action=CREATE, cells=self.cells(r))
            outlet = outlets.get(cell_text(r.get("outlet")).upper())
            if outlet is None or not access.can_operate(self.user, outlet):
                message = _("Unknown outlet code “%(code)s”, or not one of yours.") % {
                    "code": cell_text(r.get("outlet"))
                }
                plan.fail(t["outlet"], message)
                continue
            plan.province_id, plan.commune_id = outlet.province_id, outlet.commune_id
            try:
                month = parse_month(r.get("month"))
                _check_month(month)
            except ValidationError as exc:
                plan.fail(t["month"], exc.messages[0])
                continue
            plan.label = f"{outlet.code} {month:%m/%Y}"
            groups.setdefault((outlet.pk, month), []).append(
                Entry(r.get("product"), r.get("quantity"), r.get("revenue"), number)
            )
        by_id = {o.pk: o for o in outlets.values()}
        for (outlet_id, month), entries in groups.items():
            issues: list[RowIssue] = []
            built = _check(self.user, by_id[outlet_id], month, entries, _stocked({outlet_id}, month), issues)
            for issue in issues:
                plans[issue.row].fail(t[issue.column], issue.message)
            recorded = {r.product_id: r for r in SalesRecord.objects.filter(outlet_id=outlet_id, month=month)}
            for record in built:
                plan = plans[record.row]  # type: ignore[attr-defined]
                if plan.action == ERROR:
                    continue
                plan.obj = record
                before = recorded.get(record.product_id)
                if before is not None:
                    plan.record = before.pk
                    for name in ("quantity", "revenue"):
                        if getattr(before, name) != getattr(record, name):
                            plan.changes[t[name]] = [str(getattr(before, name)), str(getattr(record, name))]
                    plan.action = UPDATE if plan.changes else UNCHANGED
        return [plans[n] for n, _r in rows]

    def save(self, plans: list[Plan]) -> None:
        built = [p.obj for p in plans]
        if not built:
            return
        _save(built, self.user)
        outlets = {r.outlet_id: r.outlet for r in built}
        for outlet_id, outlet in outlets.items():
            count = sum(1 for r in built if r.outlet_id == outlet_id)
            audit.record(actor=self.user, action=AuditAction.IMPORT, obj=outlet, changes={"sales": [None, count]})


def run_sales_import(source: IO[bytes] | str, *, user: Any, commit: bool) -> ImportReport:
    """Check (and with commit, save) a sales workbook; nothing is written unless every row is good."""
    return SalesImporter(user=user).run(source, commit=commit)
