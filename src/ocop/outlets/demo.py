"""The outlets part of `ocop demo`, relative to `today`: Hà Nội sales points in real communes, recognised one after
another over the last two years, three design centres assessed on Decision 6385 (one failing a mandatory item),
shelves of valid OCOP products (each since its certificate) and their sales up to last month (25 months for the
oldest), except that the demo operator's outlet has not reported last month yet. Built through the real services;
skipped when Hà Nội already has outlets."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction

from ocop.accounts.models import User
from ocop.certificates.queries import status_q
from ocop.certificates.rules import VALID_MONTHS, add_months
from ocop.outlets import sales, services, stock
from ocop.outlets.checklists import load_checklists
from ocop.outlets.enums import LocationType, OutletKind
from ocop.outlets.models import Outlet
from ocop.places.models import Commune, Province
from ocop.registry.models import Product

HOURS = ["Hằng ngày 8:00-21:00", "T2-T6 7:30-17:30; T7, CN 8:00-12:00", "T2-CN 8:00-22:00", "T3-CN 9:00-18:00"]
# (name, commune, location type, operator, floor area m², offset from the commune's centre in 1/1000 degree)
SALES_POINTS = [
    ("Điểm OCOP phố cổ Hàng Bạc", "Hoàn Kiếm", LocationType.TOURISM, "Công ty CP Thương mại Hà Thành", 45, (2, -3)),
    (
        "Điểm OCOP Văn Miếu",
        "Văn Miếu - Quốc Tử Giám",
        LocationType.TOURISM,
        "Công ty CP Thương mại Hà Thành",
        30,
        (1, 2),
    ),
    ("Gian OCOP siêu thị Ba Đình", "Ba Đình", LocationType.RETAIL, "Hợp tác xã Thương mại Thủ Đô", 60, (-2, 1)),
    ("Điểm OCOP Cầu Giấy", "Cầu Giấy", LocationType.COMMERCIAL, "Hợp tác xã Thương mại Thủ Đô", 80, (3, 3)),
    ("Điểm OCOP chợ Hôm", "Hai Bà Trưng", LocationType.RETAIL, "Công ty TNHH Nông sản Sạch Hà Nội", 35, (0, -2)),
    ("Điểm OCOP Ô Chợ Dừa", "Ô Chợ Dừa", LocationType.RETAIL, "Công ty TNHH Nông sản Sạch Hà Nội", 40, (-1, -1)),
    ("Điểm OCOP Hồ Tây", "Tây Hồ", LocationType.TOURISM, "Công ty CP Du lịch Hồ Tây", 55, (4, 0)),
    ("Điểm OCOP ga Long Biên", "Long Biên", LocationType.TRANSPORT, "Công ty CP Thương mại Hà Thành", 25, (-3, 2)),
    ("Điểm OCOP Hà Đông", "Hà Đông", LocationType.COMMERCIAL, "Hợp tác xã Lụa Vạn Phúc", 70, (2, 1)),
    ("Điểm OCOP thành cổ Sơn Tây", "Sơn Tây", LocationType.TOURISM, "Hợp tác xã Dịch vụ Sơn Tây", 50, (1, -2)),
    ("Điểm OCOP Đông Anh", "Đông Anh", LocationType.RETAIL, "Công ty TNHH Nông sản Sạch Hà Nội", 65, (-2, -2)),
    (
        "Điểm OCOP cảng hàng không Nội Bài",
        "Nội Bài",
        LocationType.TRANSPORT,
        "Công ty CP Thương mại Hà Thành",
        40,
        (0, 3),
    ),
    ("Điểm OCOP Sóc Sơn", "Sóc Sơn", LocationType.CRAFT_VILLAGE, "Hợp tác xã Nông nghiệp Sóc Sơn", 45, (3, -1)),
    ("Điểm OCOP Ba Vì", "Ba Vì", LocationType.TOURISM, "Hợp tác xã Dịch vụ Ba Vì", 90, (-4, 2)),
    ("Điểm OCOP Thạch Thất", "Thạch Thất", LocationType.CRAFT_VILLAGE, "Hợp tác xã Dịch vụ Ba Vì", 40, (2, 2)),
    ("Điểm OCOP Hoài Đức", "Hoài Đức", LocationType.CRAFT_VILLAGE, "Hợp tác xã Thương mại Thủ Đô", 35, (-1, 3)),
    ("Điểm OCOP chùa Hương", "Hương Sơn", LocationType.TOURISM, "Hợp tác xã Dịch vụ Hương Sơn", 60, (1, 1)),
    ("Điểm OCOP Thường Tín", "Thường Tín", LocationType.ROADSIDE, "Công ty TNHH Nông sản Sạch Hà Nội", 75, (-3, -3)),
    ("Điểm OCOP bưu điện Vân Đình", "Vân Đình", LocationType.POST_OFFICE, "Bưu điện Hà Nội", 20, (2, -1)),
    ("Điểm OCOP Mê Linh", "Mê Linh", LocationType.RETAIL, "Hợp tác xã Nông nghiệp Sóc Sơn", 50, (0, 0)),
]
OTHERS = [
    ("Góc OCOP siêu thị Thanh Xuân", "Thanh Xuân", LocationType.RETAIL, "Hợp tác xã Thương mại Thủ Đô", 15, (1, 1)),
    (
        "Góc OCOP trung tâm hội chợ Hoàng Mai",
        "Hoàng Mai",
        LocationType.FAIR,
        "Công ty CP Thương mại Hà Thành",
        25,
        None,
    ),
]
# Design centres of Plan 49/KH-UBND: Phú Nghĩa has too few OCOP goods on show and fails the 60% mandatory item.
CENTRES = [
    ("Trung tâm thiết kế sáng tạo gốm Bát Tràng", "Bát Tràng", "Hợp tác xã Gốm sứ Bát Tràng", 650, True),
    ("Trung tâm thiết kế sáng tạo khảm trai Chuyên Mỹ", "Chuyên Mỹ", "Hợp tác xã Khảm trai Chuyên Mỹ", 540, True),
    ("Trung tâm thiết kế sáng tạo mây tre Phú Nghĩa", "Phú Nghĩa", "Hợp tác xã Mây tre đan Phú Nghĩa", 520, False),
]


@dataclass
class OutletsDemo:
    outlets: int = 0
    recognised: int = 0
    sales_rows: int = 0


HISTORY_MONTHS = 26  # recognised 26 months ago: 25 months of sales up to last month, enough for every chart


def _months_back(today: dt.date, n: int) -> dt.date:
    first = today.replace(day=1)
    for _ in range(n):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return first


def _assess(officer: User, outlet: Outlet, *, fail: bool, when: dt.date) -> bool:
    assessment = services.start_assessment(by=officer, outlet=outlet)
    answers: dict[int, dict[str, object]] = {}
    for line in assessment.lines.select_related("item"):
        item = line.item
        if item.kind == "score":
            answers[item.pk] = {"points": str(round(item.points * 0.8))}
        else:
            met = not (fail and item.measure == "ocop_share")
            note = "Hàng OCOP chỉ chiếm khoảng 40% hàng trưng bày" if not met else ""
            answers[item.pk] = {"met": "yes" if met else "no", "note": note}
    services.save_assessment(
        by=officer, assessment=assessment, answers=answers, assessed_on=when, team="Tổ thẩm định Sở Công Thương"
    )
    return services.finalise_assessment(by=officer, assessment=assessment).passed


@transaction.atomic
def build_outlets_demo(*, today: dt.date) -> OutletsDemo:
    load_checklists()
    hanoi = Province.objects.get(code="01")
    report = OutletsDemo()
    if Outlet.objects.filter(province=hanoi).exists():
        return report
    rng = random.Random(2026)  # noqa: S311  # demo data, not security
    officer = User.objects.get(username="commerce")
    operator_user = User.objects.filter(username="outlet").first()
    communes = {c.short_name: c for c in Commune.objects.filter(province=hanoi)}
    products = list(Product.objects.filter(status_q("current", today, prefix="ocop_")).order_by("id"))
    opened = _months_back(today, HISTORY_MONTHS)  # the outlets were assessed and recognised then
    since = {p.pk: max(opened, add_months(p.ocop_until, -VALID_MONTHS)) for p in products if p.ocop_until}
    recognised: list[Outlet] = []
    opened_at: dict[int, dt.date] = {}

    def register(
        name: str, commune: str, kind: str, where: str, operator: str, area: int, offset: tuple[int, int] | None
    ) -> Outlet:
        place = communes[commune]
        position: dict[str, float] = {}
        if offset is not None and place.latitude is not None and place.longitude is not None:
            position = {"latitude": place.latitude + offset[1] / 1000, "longitude": place.longitude + offset[0] / 1000}
        outlet = services.register_outlet(
            by=officer, province=hanoi, operator=operator, kind=kind, name=name,
            commune=place, location_type=where, floor_area=area, opening_hours=rng.choice(HOURS),
            address=f"Số {rng.randint(1, 200)} đường {place.short_name}",
            phone=f"09{rng.randint(10000000, 99999999)}", **position,
        )  # fmt: skip
        report.outlets += 1
        return outlet

    for number, (name, commune, where, operator, area, offset) in enumerate([*SALES_POINTS, *OTHERS]):
        kind = (
            OutletKind.SALES_POINT
            if (name, commune, where, operator, area, offset) in SALES_POINTS
            else OutletKind.OTHER
        )
        outlet = register(name, commune, kind, where, operator, area, offset)
        for product in rng.sample(products, k=min(len(products), rng.randint(3, 5))):
            stock.add_stock(by=officer, outlet=outlet, product=product, since=since.get(product.pk, opened))
        stock.add_stock(by=officer, outlet=outlet, label="Rau an toàn theo mùa", since=opened)
        if number % 10 == 9:
            continue  # two outlets are still proposed, waiting for their assessment
        # The sales points opened one after another: every fifth 26 months ago, the others since.
        when = _months_back(today, HISTORY_MONTHS - 3 * (number % 5))
        _assess(officer, outlet, fail=False, when=when)
        services.recognise(by=officer, outlet=outlet, number=f"{410 + number}/QĐ-SCT", signed_on=when)
        opened_at[outlet.pk] = when
        recognised.append(outlet)
    for name, commune, operator, area, passes in CENTRES:
        outlet = register(name, commune, OutletKind.DESIGN_CENTRE, LocationType.CRAFT_VILLAGE, operator, area, (1, 1))
        shelf = products[:6] if passes else products[:2]
        for product in shelf:
            stock.add_stock(by=officer, outlet=outlet, product=product, since=since.get(product.pk, opened))
        if not passes:
            for label in ("Giỏ mây xuất khẩu", "Đèn mây trang trí", "Khay tre"):
                stock.add_stock(by=officer, outlet=outlet, label=label, since=opened)
        if _assess(officer, outlet, fail=not passes, when=opened):
            services.recognise(by=officer, outlet=outlet, number=f"6{len(recognised)}/QĐ-UBND", signed_on=opened)
            recognised.append(outlet)
    report.recognised = len(recognised)
    if operator_user is not None:
        services.add_operator_member(by=officer, operator=recognised[0].operator, user=operator_user)
    prices = {p.pk: rng.choice((45_000, 65_000, 80_000, 120_000, 180_000)) for p in products}
    for outlet in recognised:
        lines = list(outlet.stock.filter(product__isnull=False))
        # The demo operator's outlet has not reported last month yet: that is on its list today.
        opened_on = opened_at.get(outlet.pk, opened)
        for back in range(HISTORY_MONTHS - 1, 0 if outlet != recognised[0] else 1, -1):
            month = _months_back(today, back)
            if month < opened_on:
                continue
            season = 1.6 if month.month in (1, 2) else (1.2 if month.month in (9, 12) else 1.0)  # Tết, Mid-Autumn
            entries = [
                sales.Entry(product_id=line.product_id, quantity=q, revenue=q * prices[line.product_id or 0])
                for line in lines
                if line.added_on <= month and (q := round(rng.randint(10, 90) * season))
            ]
            if entries:
                report.sales_rows += sales.record_sales(by=officer, outlet=outlet, month=month, entries=entries)
    return report
