"""The inspection record (biên bản kiểm tra) of a recorded inspection, as an administrative document (Decree
30/2020/NĐ-CP) in Vietnamese: from the province's standing OCOP office, the legal basis, the day and place, the team,
the producer or outlet inspected and its representative, the checklist, the conclusion, the findings to fix and the
sanctions, and both sides' signatures kept with the last lines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from ocop.core.pdf import render_pdf
from ocop.core.text import blank_number, place_date
from ocop.places.issuers import Sign, kept_issuer
from ocop.supervision.enums import CheckResult
from ocop.supervision.models import Inspection

# The programme's criteria and procedure: what an inspection after recognition checks against (domain/ocop-rules §7).
LEGAL_BASIS = (
    "Căn cứ Quyết định số 148/QĐ-TTg ngày 24 tháng 02 năm 2023 của Thủ tướng Chính phủ ban hành Bộ tiêu chí và quy "
    "trình đánh giá, phân hạng sản phẩm Chương trình Mỗi xã một sản phẩm"
)


@dataclass
class Party:
    """The side inspected: its name, address, the product concerned, and who represents it."""

    kind: str  # "Chủ thể" or "Điểm bán"
    name: str
    address: str
    product: str
    representative: str


def _address(*parts: Any) -> str:
    return ", ".join(str(p) for p in parts if p)


def inspected_party(inspection: Inspection) -> Party:
    """The producer (its legal representative) or the outlet (its contact person) the inspection visited."""
    if inspection.outlet_id:
        outlet = inspection.outlet
        assert outlet is not None
        return Party(
            "Điểm bán",
            outlet.name,
            _address(outlet.address, outlet.commune.name, outlet.province.name),
            "",
            outlet.contact_name,
        )
    producer = inspection.producer or (inspection.product.producer if inspection.product else None)
    assert producer is not None
    return Party(
        "Chủ thể",
        producer.name,
        _address(producer.address, producer.commune.name if producer.commune else "", producer.province.name),
        inspection.product.name if inspection.product else "",
        producer.legal_representative,
    )


def _head(inspection: Inspection) -> str:
    """The head of the team: the inspector sent on the inspection."""
    user = inspection.inspector
    return (user.get_full_name() or user.username) if user is not None else ""


def team(inspection: Inspection) -> list[str]:
    """The inspection team: the inspector sent (head of the team), then the plan's team, one per line."""
    head = _head(inspection)
    lines = [f"{head} – Trưởng đoàn"] if head else []
    if inspection.plan is not None:
        lines += plan_team(inspection.plan.team)
    return lines


def plan_team(text: str) -> list[str]:
    """The plan's team as typed, one member a line: by lines and semicolons, or, typed on one line, by commas
    ("Sở Nông nghiệp và Môi trường, Sở Công Thương, Sở Y tế"); a line's role ("– Thành viên") kept as typed."""
    parts = re.split(r"[\n;]", text) if "\n" in text.strip() or ";" in text else text.split(",")
    return [part.strip(" -–;,\r\t") for part in parts if part.strip(" -–;,\r\t")]


def record_context(inspection: Inspection) -> dict[str, Any]:
    issuer = kept_issuer(inspection.issuer, inspection.province)  # as when the inspection was recorded
    party = inspected_party(inspection)
    head = _head(inspection)
    checks = list(inspection.checks.all())
    findings = list(inspection.findings.all())
    return {
        "inspection": inspection,
        "issuer": issuer,
        "heading": issuer.office_heading,
        "number_line": blank_number(f"BB-{issuer.office_symbol or issuer.symbol}"),
        "place_date": place_date(issuer.place, inspection.done_on) if inspection.done_on else "",
        "legal_basis": LEGAL_BASIS,
        "party": party,
        "team": team(inspection),
        "checks": checks,
        "in_order": all(c.result != CheckResult.FINDING for c in checks),
        "findings": findings,
        "sanctions": list(inspection.sanctions.select_related("certificate")),
        "party_sign": Sign("", "ĐẠI DIỆN CƠ SỞ", party.representative),
        "head_sign": Sign("", "TRƯỞNG ĐOÀN KIỂM TRA", head),
    }


def record_pdf(inspection: Inspection) -> bytes:
    """The record as a PDF, in Vietnamese whatever the page's language (the checklist's labels included)."""
    with translation.override("vi"):
        return render_pdf(render_to_string("supervision/record.html", record_context(inspection)))
