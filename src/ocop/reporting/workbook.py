"""The periodic workbook in the shape of the central office's bulletins: products by star, by group and by unit
(current communes, and former districts for periods before July 2025), producers by type, new and revoked
certificates in the period, outlets and centres, trade promotion and inspections. One query a sheet."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cached_property
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ocop.certificates.enums import Status
from ocop.certificates.models import Certificate
from ocop.core.excel import Kind, SheetSpec, TitleBlock, write_sheets
from ocop.core.text import place_sort_key
from ocop.core.xlsxstyle import period_text
from ocop.outlets.enums import OutletKind
from ocop.places.models import CommuneSuccession
from ocop.places.queries import issuing_body
from ocop.promotion.enums import EventKind
from ocop.promotion.models import Event
from ocop.promotion.services import TOTALS, with_totals
from ocop.reporting import stats
from ocop.supervision.enums import InspectionState
from ocop.supervision.models import Inspection

SheetRows = (
    tuple[str, Sequence[str], Iterable[Sequence[Any]]]
    | tuple[str, Sequence[str], Iterable[Sequence[Any]], Sequence[Kind | None]]
)
LEGACY_START = dt.date(2025, 7, 1)


def as_of(ends_on: dt.date) -> dt.date:
    """Stock figures (products, producers, outlets) are read as they stood at the end of the period's last day, or
    today if it is later."""
    return min(ends_on, timezone.localdate())


# Former districts' kinds, dropped before sorting like the communes' ("Huyện Chương Mỹ" among the C).
DISTRICT_PREFIXES = ("Thị xã ", "Quận ", "Huyện ")


def unit_sort_key(unit: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """A commune or former district in Vietnamese order by its own name: "Phường Cầu Giấy" before "Xã Chương Mỹ",
    "Hà Đông" before "Hoàng Mai", "Ô Chợ Dừa" among the O (not by code point, which puts Đ and Ô last)."""
    for prefix in DISTRICT_PREFIXES:
        if unit.startswith(prefix):
            return place_sort_key(unit[len(prefix) :])
    return place_sort_key(unit)


def _stars_table(rows: Iterable[tuple[Any, int | None, bool, int]], unknown: str) -> list[list[Any]]:
    """(unit, stars, potential 5★, n) rows as a table of units by star level (potential 5★ apart), the units in
    Vietnamese order, `unknown` last."""
    table: dict[Any, dict[int | str, int]] = {}
    for unit, stars, potential, n in rows:
        counts = table.setdefault(unit or unknown, {})
        level = stats.level(stars, potential)
        counts[level] = counts.get(level, 0) + n
    units = sorted(table, key=lambda u: (u == unknown, unit_sort_key(str(u)), str(u)))
    return [[u, *(table[u].get(s, 0) for s in stats.LEVELS), sum(table[u].values())] for u in units]


def _stars_cell(row: Sequence[Any], at: int) -> list[Any]:
    """A certificate's row with its stars and potential-5★ flag (columns `at`, `at + 1`) as one cell: the stars, or
    "potential 5★" (a category of its own, as provinces publish it)."""
    stars, potential = row[at], row[at + 1]
    return [*row[:at], stats.star_label(stats.POTENTIAL) if potential else stars, *row[at + 2 :]]


class Report:
    def __init__(self, s: stats.Scope, starts_on: dt.date, ends_on: dt.date, legacy: bool) -> None:
        self.s, self.starts_on, self.ends_on, self.legacy = s, starts_on, ends_on, legacy

    @cached_property
    def certified(self) -> stats.Certified:
        """The day's products counted once for the summary, stars and groups sheets."""
        return stats.certified(self.s)

    def in_period(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.starts_on, f"{field}__lte": self.ends_on})

    def summary(self) -> SheetRows:
        stars = stats.by_stars(self.s, self.certified)
        day = f"{self.s.today:%d/%m/%Y}"
        rows: list[list[Any]] = [[_("OCOP products on %(day)s") % {"day": day}, sum(stars.values())]]
        rows += [[_("of which %(stars)s") % {"stars": stats.star_label(k)}, v] for k, v in stars.items()]
        registered = stats.registered(self.s)
        rows += [[_("Producers registered on %(day)s") % {"day": day}, registered.producers],
                 [_("Products registered on %(day)s") % {"day": day}, registered.products]]  # fmt: skip
        return _("Summary"), [_("Indicator"), _("Value")], rows

    def stars(self) -> SheetRows:
        stars = stats.by_stars(self.s, self.certified)
        return _("By stars"), [_("Stars"), _("Products")], [*([stats.star_label(k), v] for k, v in stars.items()),
                                                             [_("Total"), sum(stars.values())]]  # fmt: skip

    def groups(self) -> SheetRows:
        groups = stats.by_group(self.s, self.certified)
        return _("By group"), [_("Product group"), _("Products")], [*groups, (_("Total"), sum(n for _g, n in groups))]

    def units(self) -> SheetRows:
        fields = ("commune__name", "stars", "potential_five")
        rows: Any = stats.ocop_certificates(self.s).values_list(*fields).annotate(n=stats.PRODUCTS).order_by()
        head = [_("Commune"), *(stats.star_label(k) for k in stats.LEVELS), _("Total")]
        return _("By commune"), head, _stars_table(rows, "—")

    def districts(self) -> SheetRows:
        """A product's former district is its recorded former commune's; failing that, its commune's when the commune
        was formed from communes of one district only."""
        fields = ("product__legacy_commune__district__name", "product__legacy_district__name", "commune_id", "stars",
                  "potential_five")  # fmt: skip
        rows = stats.ocop_certificates(self.s).values_list(*fields).annotate(n=stats.PRODUCTS).order_by()
        origins: dict[int, set[str]] = {}
        successions = CommuneSuccession.objects.filter(commune__province_id=self.s.province_id)
        for commune_id, former in successions.values_list("commune_id", "legacy_commune__district__name"):
            origins.setdefault(commune_id, set()).add(former)
        unknown = _("(former district not recorded)")

        def district(recorded: str | None, commune_id: int | None) -> str:
            found = origins.get(commune_id, set()) if commune_id is not None else set()
            return recorded or (next(iter(found)) if len(found) == 1 else unknown)

        head = [_("Former district (before July 2025)"), *(stats.star_label(k) for k in stats.LEVELS), _("Total")]
        table = _stars_table(((district(name or only, c), stars, p, n) for name, only, c, stars, p, n in rows), unknown)
        return _("By former district"), head, table

    def producers(self) -> SheetRows:
        rows = [[r.label, r.producers, r.women_led, r.ethnic_minority] for r in stats.producers_by_kind(self.s)]
        rows.append([_("Total"), *(sum(r[i] for r in rows) for i in (1, 2, 3))])
        return _("Producers"), [_("Type"), _("Producers"), _("led by a woman"), _("ethnic-minority owned")], rows

    def _certificates(self, *fields: str) -> Any:
        where = self.s.where(province_field="province_id")
        return Certificate.objects.filter(where).values_list(*fields)  # plain rows: tens of thousands a year

    def issued(self) -> SheetRows:
        fields = ("number", "product__name", "producer__name", "commune__name", "stars", "potential_five",
                  "issued_on", "valid_until")  # fmt: skip
        rows = self._certificates(*fields).filter(self.in_period("issued_on")).order_by("issued_on", "number")
        head = [_("Certificate number"), _("Product"), _("Producer"), _("Commune"), _("Stars"), _("Issued on"),
                _("Valid until")]  # fmt: skip
        return _("New certificates"), head, (_stars_cell(r, 4) for r in rows.iterator(chunk_size=2000))

    def revoked(self) -> SheetRows:
        fields = ("number", "product__name", "producer__name", "stars", "potential_five", "status_since",
                  "revocation_decision", "status_reason")  # fmt: skip
        rows = self._certificates(*fields).filter(self.in_period("status_since"), status=Status.REVOKED)
        head = [_("Certificate number"), _("Product"), _("Producer"), _("Stars"), _("Revoked on"),
                _("Revocation decision"), _("Reason")]  # fmt: skip
        return (
            _("Revoked certificates"),
            head,
            (_stars_cell(r, 3) for r in rows.order_by("status_since", "number").iterator(chunk_size=2000)),
        )

    def outlets(self) -> SheetRows:
        qs = stats.with_shelf(stats.recognised_outlets(self.s), self.s.today).order_by("kind", "code")
        head = [_("Code"), _("Name"), _("Kind"), _("Commune"), _("Decision date"), _("Products on the shelf"),
                _("OCOP products")]  # fmt: skip
        kinds = dict(OutletKind.choices)
        fields = ("code", "name", "kind", "commune__name", "decision_date", "lines", "ocop_lines")
        rows = ([*r[:2], kinds[r[2]], *r[3:]] for r in qs.values_list(*fields))  # type: ignore[misc]
        return _("Outlets and centres"), head, rows

    def promotion(self) -> SheetRows:
        where = Q(commune_id=self.s.commune_id) if self.s.commune_id else Q(province_id=self.s.province_id)
        qs = with_totals(Event.objects.filter(where, self.in_period("starts_on"))).order_by("starts_on")
        head = [_("Event"), _("Kind"), _("First day"), _("Last day"), _("Booths"), _("Revenue (₫)"), _("Contracts"),
                _("Value of contracts (₫)"), _("Visitors")]  # fmt: skip
        kinds = dict(EventKind.choices)
        fields = ("name", "kind", "starts_on", "ends_on", *TOTALS)
        rows = ([r[0], kinds[r[1]], *r[2:4], *(v or 0 for v in r[4:])] for r in qs.values_list(*fields))  # type: ignore[misc]
        money = [None, None, None, None, Kind.INT, Kind.MONEY, Kind.INT, Kind.MONEY, Kind.INT]
        return _("Trade promotion"), head, rows, money

    def inspections(self) -> SheetRows:
        where = (
            Q(producer__commune_id=self.s.commune_id) | Q(outlet__commune_id=self.s.commune_id)
            if self.s.commune_id
            else Q(province_id=self.s.province_id)
        )
        qs = (
            Inspection.objects.filter(where, self.in_period("done_on"), state=InspectionState.DONE)
            .select_related("producer", "product", "outlet")
            .annotate(n_findings=Count("findings", distinct=True), n_sanctions=Count("sanctions", distinct=True))
            .order_by("done_on")
        )
        head = [_("Inspected on"), _("Producer or outlet"), _("Product"), _("Findings"), _("Sanctions")]
        rows = ([i.done_on, str(i.outlet or i.producer), i.product.name if i.product else "", i.n_findings,
                 i.n_sanctions] for i in qs)  # fmt: skip
        return _("Inspections"), head, rows

    def parts(self) -> list[Callable[[], SheetRows]]:
        parts = [self.summary, self.stars, self.groups, self.units]
        if self.legacy or self.starts_on < LEGACY_START:
            parts.append(self.districts)
        return [*parts, self.producers, self.issued, self.revoked, self.outlets, self.promotion, self.inspections]


def build(
    s: stats.Scope, starts_on: dt.date, ends_on: dt.date, legacy: bool, progress: Callable[[int, int], None] | None
) -> bytes:
    """The workbook's bytes. `progress(done, total)` is called after each sheet is written."""
    report = Report(s, starts_on, ends_on, legacy)
    parts = report.parts()
    sheets: list[SheetSpec] = []

    def written(rows: Iterable[Sequence[Any]], number: int) -> Iterator[Sequence[Any]]:
        """The sheet's rows as the writer takes them, one at a time (never all of them held); then its progress."""
        yield from rows
        if progress is not None:
            progress(number, len(parts))

    with translation.override("vi"):
        for number, part in enumerate(parts, start=1):
            title, head, rows, *kinds = part()
            sheets.append((title, head, written(rows, number), kinds[0] if kinds else None))
        block = TitleBlock(
            issuer=issuing_body(s.province_id, s.commune_id),
            name=_("Report on the OCOP programme"),
            period=period_text(starts_on, ends_on),
        )
        return write_sheets(sheets, block=block)
