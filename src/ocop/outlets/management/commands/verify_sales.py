"""`ocop verify_sales`: check that every outlet's monthly sums (what the dashboards read) equal the sum of its sales
rows and are kept under its province, naming each month that differs; `--repair` counts them all again from the
rows.

Exit status: 0 all agree (or repaired), 1 a difference found. Without `--repair` it only reads."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ocop.outlets.models import Outlet, SalesMonth
from ocop.outlets.sales_months import Mismatch, Sums, mismatches, rebuild


def _sums(sums: Sums | None) -> str:
    if sums is None:
        return _("none")
    rows, quantity, revenue = sums
    money = number_format(revenue, force_grouping=True)
    return _("%(rows)s rows, quantity %(quantity)s, revenue %(revenue)s ₫") % {
        "rows": rows, "quantity": number_format(quantity), "revenue": money}  # fmt: skip


class Command(BaseCommand):
    help = (
        "Check that the outlets' monthly sales sums equal the sum of their sales rows; exit status 1 when any "
        "differs. --repair counts them again from the rows."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repair", action="store_true", help="count every outlet's months again from the rows")

    def handle(self, *args: Any, **options: Any) -> None:
        found = mismatches()
        codes = dict(Outlet.objects.filter(pk__in={m.outlet_id for m in found}).values_list("pk", "code"))
        for m in found:
            self.stderr.write(self._line(m, codes.get(m.outlet_id) or str(m.outlet_id)))
        if found and options["repair"]:
            with transaction.atomic():
                made = rebuild()
            self.stdout.write(self.style.SUCCESS(
                _("%(n)s month(s) differed; every outlet's months were counted again from the rows: %(made)s months.")
                % {"n": len(found), "made": made}
            ))  # fmt: skip
            return
        if found:
            message = (
                _("%(n)s outlet month(s) differ from the sum of their sales rows; `ocop verify_sales --repair` counts "
                  "them again.")
                if any(m.kept != m.counted for m in found)
                else _("%(n)s outlet month(s) are kept under another province than their outlet's; `ocop verify_sales "
                       "--repair` counts them again.")
            )  # fmt: skip
            raise CommandError(message % {"n": len(found)})
        self.stdout.write(self.style.SUCCESS(
            _("The monthly sales sums equal the sum of the rows: %(n)s outlet month(s).")
            % {"n": SalesMonth.objects.count()}
        ))  # fmt: skip

    @staticmethod
    def _line(m: Mismatch, code: str) -> str:
        line = _("%(outlet)s %(month)s: kept sums: %(kept)s; sums of the rows: %(counted)s.") % {
            "outlet": code, "month": f"{m.month:%m/%Y}", "kept": _sums(m.kept),
            "counted": _sums(m.counted)}  # fmt: skip
        return line + (" " + _("They are kept under another province than the outlet's.") if m.other_province else "")
