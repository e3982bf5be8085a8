"""The certificates part of `ocop demo`, relative to `today`: last year's round's decision and certificates, the
ministry's 5-star decision of last year, the decision of this year's first round (a month ago), and historical
decisions (Gia Lâm district's, dated before July 2025, for products of communes then in Gia Lâm), so that some
certificates are expiring, some expired, one suspended and one revoked. Built through the real services; skipped
when Hà Nội has decisions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from ocop.accounts.models import Notification, Target, User
from ocop.certificates import rules, services, signing
from ocop.certificates.enums import IssuingLevel
from ocop.certificates.models import Certificate, Decision
from ocop.certificates.rules import add_months
from ocop.evaluation.demo_dates import at
from ocop.evaluation.enums import RoundLevel
from ocop.evaluation.models import Result, Round
from ocop.places.models import LegacyDistrict, Province
from ocop.places.queries import central_level
from ocop.registry.importing import ImportReport
from ocop.registry.models import Product


@dataclass
class CertificatesDemo:
    decisions: int = 0
    certificates: int = 0


def _history_products(hanoi: Province, count: int, district: str = "") -> list[Product]:
    """Products with no dossier and no certificate yet; `district`: of communes that were in that district before
    July 2025 (a district's committee recognised only its own communes' products)."""
    products = Product.objects.filter(province=hanoi, dossiers__isnull=True, ocop_status="", status="active")
    if district:
        products = products.filter(legacy_commune__district__short_name=district)
    return list(products.select_related("producer").order_by("id")[:count])


def _decision(
    coordinator: User, hanoi: Province, *, level: IssuingLevel, number: str, on: dt.date,
    items: list[tuple[Product, int]], body: str = "", signer: str = "", district: LegacyDistrict | None = None,
) -> list[Certificate]:  # fmt: skip
    """A decision of the past, entered from history (no council result in OCOP Hub)."""
    decision = services.draft_decision(
        by=coordinator, province=hanoi, level=level, issuing_body=body, historical=True, legacy_district=district
    )
    for product, stars in items:
        services.add_item(by=coordinator, decision=decision, product=product, stars=stars)
    return _dated(services.issue_decision(by=coordinator, decision=decision, number=number, signed_on=on,
                                          signer=signer), on)  # fmt: skip


def _dated(certificates: list[Certificate], day: dt.date) -> list[Certificate]:
    """The notices of the certificates' decision (issued, certificate ready) dated on the day it was signed: the
    service stamps them with the present moment."""
    Notification.objects.filter(
        target__in=(Target.CERTIFICATE, Target.CERTIFICATE_PDF), target_id__in=[c.pk for c in certificates]
    ).update(created_at=at(day, 14))
    return certificates


def _since(certificate: Certificate, day: dt.date, kind: str) -> None:
    """A suspension or revocation entered today, dated on the day it was decided (its notices too)."""
    Certificate.objects.filter(pk=certificate.pk).update(status_since=day)
    Notification.objects.filter(key__startswith=f"{kind}:{certificate.pk}:").update(created_at=at(day, 15))
    Notification.objects.filter(key=f"{kind}:{certificate.pk}").update(created_at=at(day, 15))


@transaction.atomic
def build_certificates_demo(*, today: dt.date) -> CertificatesDemo:
    """Last year's decisions (the city's for its round, the ministry's for the 5 stars its council gave) and the
    history before them. Skipped when Hà Nội has decisions."""
    hanoi = Province.objects.get(code="01")
    report = CertificatesDemo()
    if Decision.objects.filter(province=hanoi).exists():
        return report
    # The demo's issuing bodies sign with their own keys: made here, as `ocop demo` (which runs this) makes them; a
    # body that has one keeps it. The demo is built from the command line, never by a web request.
    for body in (hanoi, central_level()):
        signing.create_key(body)
    coordinator = User.objects.get(username="coordinator")
    made: list[Certificate] = []
    last = today.year - 1
    # History first: a district decision of 40 months ago at the latest 30 June 2025 (expired), a city one of 35
    # months ago (expiring soon) and one of 20 months ago (valid), of which one is later suspended and one revoked.
    gia_lam = _history_products(hanoi, 3, district="Gia Lâm")
    old = _history_products(hanoi, 6 + len(gia_lam))
    old = [p for p in old if p not in gia_lam][:6]
    if gia_lam:
        made += _decision(
            coordinator, hanoi, level=IssuingLevel.DISTRICT, number="2150/QĐ-UBND",
            on=min(add_months(today, -40), rules.DISTRICTS_UNTIL), items=[(p, 3) for p in gia_lam],
            body="Ủy ban nhân dân huyện Gia Lâm", signer="Lê Anh Quân",
            district=LegacyDistrict.objects.filter(province__successor=hanoi, short_name="Gia Lâm").first(),
        )  # fmt: skip
        report.decisions += 1
    if len(old) == 6:
        made += _decision(
            coordinator, hanoi, level=IssuingLevel.PROVINCE, number="4410/QĐ-UBND",
            on=add_months(today, -35), items=[(p, 4) for p in old[:3]], signer="Nguyễn Mạnh Quyền",
        )  # fmt: skip
        recent = _decision(
            coordinator, hanoi, level=IssuingLevel.PROVINCE, number="812/QĐ-UBND",
            on=add_months(today, -20), items=[(old[3], 3), (old[4], 4), (old[5], 3)], signer="Nguyễn Mạnh Quyền",
        )  # fmt: skip
        made += recent
        services.suspend(
            by=coordinator, certificate=recent[1], reason="Kiểm tra phát hiện nhãn ghi sai hạn sử dụng; chờ khắc phục."
        )
        _since(recent[1], today - dt.timedelta(days=10), "suspended")
        services.revoke(
            by=coordinator, certificate=recent[2], decision_number="1520/QĐ-UBND",
            revoked_on=today - dt.timedelta(days=24), reason="Chủ thể ngừng sản xuất sản phẩm.",
        )  # fmt: skip
        _since(recent[2], today - dt.timedelta(days=24), "revoked")
        report.decisions += 2
    # Last year's round: the city recognises its published 3- and 4-star results in November...
    round_ = Round.objects.filter(province=hanoi, year=last, level=RoundLevel.PROVINCE).first()
    if round_ is not None and Result.objects.filter(dossier__round=round_, published=True, stars__in=(3, 4)).exists():
        decision = services.draft_from_round(by=coordinator, round_=round_)
        made += _dated(services.issue_decision(
            by=coordinator, decision=decision, number="6215/QĐ-UBND", signed_on=dt.date(last, 11, 20),
            signer="Nguyễn Mạnh Quyền",
        ), dt.date(last, 11, 20))  # fmt: skip
        report.decisions += 1
    # This year's first round: the city's decision a month ago for the 3 and 4 stars published then.
    first = Round.objects.filter(province=hanoi, year=today.year, number=1, level=RoundLevel.PROVINCE).first()
    if first is not None and Result.objects.filter(dossier__round=first, published=True, stars__in=(3, 4)).exists():
        decision = services.draft_from_round(by=coordinator, round_=first)
        made += _dated(services.issue_decision(
            by=coordinator, decision=decision, number="5123/QĐ-UBND", signed_on=today - dt.timedelta(days=30),
            signer="Nguyễn Mạnh Quyền",
        ), today - dt.timedelta(days=30))  # fmt: skip
        report.decisions += 1
    # The ministry recognises last year's referred product at 5 stars once its central council scored it.
    central = Round.objects.filter(province__central=True, level=RoundLevel.CENTRAL, year=last).first()
    if central is not None and Result.objects.filter(dossier__round=central, published=True, stars=5).exists():
        ministry = User.objects.get(username="ministry")
        decision = services.draft_from_round(by=ministry, round_=central)
        signed = min(dt.date(last, 12, 22), today)
        made += _dated(services.issue_decision(
            by=ministry, decision=decision, number="1187/QĐ-BNNMT", signed_on=signed, signer="Trần Thanh Nam",
        ), signed)  # fmt: skip
        report.decisions += 1
    report.certificates = len(made)
    return report


# A page of the recognition lists Hà Nội published in 2019–2024, as the office would load it on its first day:
# certificates of its past, an address with only a former district's commune merged before 2025, a commune divided
# in 2025 and a mistyped star rating: both rows wait for the office in the review queue.
HISTORY_HEAD = ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Nhóm sản phẩm", "Hạng sao", "Số quyết định",
                "Ngày quyết định", "Năm", "Cấp công nhận"]  # fmt: skip
HISTORY_ROWS = [
    [1, "Chè xanh Ba Vì", "HTX Chè Ba Trại", "xã Ba Trại, huyện Ba Vì", "1-12", "3 sao", "5087/QĐ-UBND",
     "12/11/2019", 2019, "Thành phố"],
    [2, "Chè xanh Ba Vì", "HTX Chè Ba Trại", "xã Ba Trại, huyện Ba Vì", "1-12", "4 sao", "4110/QĐ-UBND",
     "05/10/2022", 2022, "Thành phố"],
    [3, "Miến dong Vân Hòa", "HTX Miến dong Vân Hòa", "xã Vân Hòa, huyện Ba Vì", "1-06", "3 sao", "4110/QĐ-UBND",
     "05/10/2022", 2022, "Thành phố"],
    [4, "Gốm men rạn", "Cơ sở Gốm Bát Tràng Cổ", "xã Bát Tràng, huyện Gia Lâm", "4-02", "4 sao", "3712/QĐ-UBND",
     "", 2023, "Thành phố"],
    [5, "Rau an toàn Lệ Chi", "HTX Rau an toàn Lệ Chi", "xã Lệ Chi, huyện Gia Lâm", "Thực phẩm", "3 sao",
     "1386/QĐ-UBND", "", 2023, "Huyện"],
    [6, "Bưởi Diễn", "HTX Bưởi Phú Diễn", "P. Phú Diễn, Q. Bắc Từ Liêm", "1-01", "tiềm năng 5 sao", "2121/QĐ-UBND",
     "20/06/2024", 2024, "Thành phố"],
    [7, "Nón lá làng Chuông", "Hộ kinh doanh Nguyễn Thị Lan", "xã Phương Trung, huyện Thanh Oai", "4-02", "6 sao",
     "2121/QĐ-UBND", "20/06/2024", 2024, "Thành phố"],
]  # fmt: skip


def build_history_demo() -> str:
    """Load the list through the real import (the good rows saved, the rest parked): running it twice adds
    nothing. Returns the import's summary line."""
    import io

    from ocop.core.excel import write_workbook
    from ocop.registry.imports import run_import
    from ocop.registry.models import ImportMode

    coordinator = User.objects.get(username="coordinator")
    data = io.BytesIO(write_workbook(title="Danh sách", headers=HISTORY_HEAD, rows=HISTORY_ROWS))
    return review_summary(run_import("history", data, user=coordinator, commit=True, mode=ImportMode.PARK))


def review_summary(report: ImportReport) -> str:
    """The demo's line for an import: the rows it parks for review are there on purpose, not errors."""
    waiting = report.parked  # the rows with a wrong value among them
    return (
        f"{report.total} row{'s' if report.total != 1 else ''} read, {report.created} added, "
        f"{report.updated + report.unchanged} already there, "
        f"{waiting} row{'s' if waiting != 1 else ''} set aside for review"
    )
