"""The certificates part of `ocop demo`: the 2025 round's decision and certificates, the ministry's 5-star decision,
and historical decisions (a district one from before July 2025), so that some certificates are expiring, some
expired, one suspended and one revoked. Built through the real services; skipped when Hà Nội has decisions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from ocop.accounts.models import User
from ocop.certificates import services
from ocop.certificates.enums import IssuingLevel
from ocop.certificates.models import Certificate, Decision
from ocop.certificates.rules import add_months
from ocop.evaluation.enums import RoundLevel
from ocop.evaluation.models import Result, Round
from ocop.places.models import Province
from ocop.registry.models import Product


@dataclass
class CertificatesDemo:
    decisions: int = 0
    certificates: int = 0


def _history_products(hanoi: Province, count: int) -> list[Product]:
    return list(
        Product.objects.filter(province=hanoi, dossiers__isnull=True, ocop_status="")
        .select_related("producer")
        .order_by("id")[:count]
    )


def _decision(
    coordinator: User, hanoi: Province, *, level: IssuingLevel, number: str, on: dt.date,
    items: list[tuple[Product, int]], body: str = "", signer: str = "",
) -> list[Certificate]:  # fmt: skip
    """A decision of the past, entered from history (no council result in OCOP Hub)."""
    decision = services.draft_decision(by=coordinator, province=hanoi, level=level, issuing_body=body, historical=True)
    for product, stars in items:
        services.add_item(by=coordinator, decision=decision, product=product, stars=stars)
    return services.issue_decision(by=coordinator, decision=decision, number=number, signed_on=on, signer=signer)


@transaction.atomic
def build_certificates_demo(*, today: dt.date) -> CertificatesDemo:
    hanoi = Province.objects.get(code="01")
    report = CertificatesDemo()
    if Decision.objects.filter(province=hanoi).exists():
        return report
    coordinator = User.objects.get(username="coordinator")
    made: list[Certificate] = []
    # The 2025 round: the province recognises its published 3- and 4-star results...
    round_ = Round.objects.filter(province=hanoi, year=2025, number=1).first()
    if round_ is not None:
        decision = services.draft_from_round(by=coordinator, round_=round_)
        made += services.issue_decision(
            by=coordinator, decision=decision, number="6215/QĐ-UBND", signed_on=min(today, dt.date(2025, 12, 15)),
            signer="Nguyễn Mạnh Quyền",
        )  # fmt: skip
        report.decisions += 1
    # ...and the ministry recognises the referred product at 5 stars once its central council has scored it.
    central = Round.objects.filter(province__central=True, level=RoundLevel.CENTRAL).order_by("-year").first()
    if central is not None and Result.objects.filter(dossier__round=central, published=True, stars=5).exists():
        ministry = User.objects.get(username="ministry")
        decision = services.draft_from_round(by=ministry, round_=central)
        made += services.issue_decision(
            by=ministry, decision=decision, number="1187/QĐ-BNNMT", signed_on=today, signer="Trần Thanh Nam"
        )
        report.decisions += 1
    # History: a district decision of 40 months ago (expired), a city one of 35 months ago (expiring soon) and
    # one of 10 months ago (valid), of which one is later suspended and one revoked.
    old = _history_products(hanoi, 9)
    if len(old) == 9:
        made += _decision(
            coordinator, hanoi, level=IssuingLevel.DISTRICT, number="2150/QĐ-UBND",
            on=min(add_months(today, -40), dt.date(2025, 6, 30)), items=[(p, 3) for p in old[:3]],
            body="Ủy ban nhân dân huyện Gia Lâm", signer="Lê Anh Quân",
        )  # fmt: skip
        made += _decision(
            coordinator, hanoi, level=IssuingLevel.PROVINCE, number="4410/QĐ-UBND",
            on=add_months(today, -35), items=[(p, 4) for p in old[3:6]], signer="Nguyễn Mạnh Quyền",
        )  # fmt: skip
        recent = _decision(
            coordinator, hanoi, level=IssuingLevel.PROVINCE, number="812/QĐ-UBND",
            on=add_months(today, -10), items=[(old[6], 3), (old[7], 4), (old[8], 3)], signer="Nguyễn Mạnh Quyền",
        )  # fmt: skip
        made += recent
        services.suspend(
            by=coordinator, certificate=recent[1], reason="Kiểm tra phát hiện nhãn ghi sai hạn sử dụng; chờ khắc phục."
        )
        services.revoke(
            by=coordinator, certificate=recent[2], decision_number="1520/QĐ-UBND", revoked_on=today,
            reason="Chủ thể ngừng sản xuất sản phẩm.",
        )  # fmt: skip
        report.decisions += 3
    report.certificates = len(made)
    return report


# A page of the recognition lists Hà Nội published in 2019–2024, as the office would load it on its first day:
# certificates of its past, an address with only a former district's commune merged before 2025, a commune divided
# in 2025 and a mistyped star rating: both rows wait for the office in the review queue.
HISTORY_HEAD = ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Nhóm sản phẩm", "Hạng sao", "Số quyết định",
                "Ngày quyết định", "Năm", "Cấp công nhận"]  # fmt: skip
HISTORY_ROWS = [
    [1, "Chè Shan tuyết Ba Vì", "HTX Chè Ba Trại", "xã Ba Trại, huyện Ba Vì", "1-12", "3 sao", "5087/QĐ-UBND",
     "12/11/2019", 2019, "Thành phố"],
    [2, "Chè Shan tuyết Ba Vì", "HTX Chè Ba Trại", "xã Ba Trại, huyện Ba Vì", "1-12", "4 sao", "4110/QĐ-UBND",
     "05/10/2022", 2022, "Thành phố"],
    [3, "Miến dong Vân Hòa", "HTX Miến dong Vân Hòa", "xã Vân Hòa, huyện Ba Vì", "1-06", "3 sao", "4110/QĐ-UBND",
     "05/10/2022", 2022, "Thành phố"],
    [4, "Gốm men rạn", "Cơ sở Gốm Bát Tràng Cổ", "xã Bát Tràng, huyện Gia Lâm", "4-02", "4 sao", "3712/QĐ-UBND",
     "", 2023, "Thành phố"],
    [5, "Rau an toàn Văn Đức", "HTX Rau Văn Đức", "xã Văn Đức, huyện Gia Lâm", "Thực phẩm", "3 sao",
     "1234/QĐ-UBND", "", 2023, "Huyện"],
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
    return run_import("history", data, user=coordinator, commit=True, mode=ImportMode.PARK).summary()
