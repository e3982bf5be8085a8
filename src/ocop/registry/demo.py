"""`ocop demo`: a realistic Hà Nội data set, built through the real services. Running it twice adds nothing."""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from ocop.accounts.models import Role, User
from ocop.accounts.services import create_user, grant_role, system_user
from ocop.core.pdf import tiny_pdf
from ocop.places.models import Commune, Province
from ocop.places.resolver import PlaceResolver
from ocop.registry import services
from ocop.registry.enums import DocumentKind, ProducerKind, ProductStatus
from ocop.registry.models import Document, Producer, ProductSet
from ocop.registry.validators import gtin_check_digit

DEMO_PASSWORD = "ocop-demo-2026"  # noqa: S105  # printed by `make run`; demo only

# Current communes of Hà Nội where demo producers sit (names as in the 2025 structure).
COMMUNES = [
    "Bát Tràng",
    "Ba Vì",
    "Chuyên Mỹ",
    "Phú Nghĩa",
    "Vân Đình",
    "Thanh Oai",
    "Đông Anh",
    "Gia Lâm",
    "Mê Linh",
    "Sóc Sơn",
    "Thạch Thất",
    "Hoài Đức",
    "Quốc Oai",
    "Mỹ Đức",
    "Phúc Thọ",
    "Thường Tín",
]
# Pre-2025 addresses (former commune, former district) for producers registered before 1 July 2025.
LEGACY = [
    ("Tản Lĩnh", "Ba Vì"),
    ("Minh Châu", "Ba Vì"),
    ("Bát Tràng", "Gia Lâm"),
    ("Phú Nghĩa", "Chương Mỹ"),
    ("Chuyên Mỹ", "Phú Xuyên"),
    ("Tam Hiệp", "Phúc Thọ"),
    ("Phù Đổng", "Gia Lâm"),
    ("Vân Canh", "Hoài Đức"),
    ("Quảng Phú Cầu", "Ứng Hòa"),
    ("Hương Sơn", "Mỹ Đức"),
    ("Liên Hà", "Đông Anh"),
    ("Tráng Việt", "Mê Linh"),
]
TRADES = [
    ("chè", [("1-12", "Chè búp {place}"), ("1-13", "Trà sen {place}"), ("1-12", "Chè xanh sao tay {place}")]),
    (
        "gốm sứ",
        [("4-01", "Bộ ấm chén gốm {place}"), ("4-02", "Bình hoa men rạn {place}"), ("4-01", "Bát đĩa men lam {place}")],
    ),
    (
        "mây tre đan",
        [("4-01", "Giỏ mây {place}"), ("4-02", "Đèn tre trang trí {place}"), ("4-01", "Khay tre đan {place}")],
    ),
    ("thực phẩm", [("1-06", "Bánh đa nem {place}"), ("1-06", "Miến dong {place}"), ("1-08", "Giò lụa {place}")]),
    (
        "nông sản",
        [("1-01", "Bưởi Diễn {place}"), ("1-01", "Cam Canh {place}"), ("1-03", "Gạo nếp cái hoa vàng {place}")],
    ),
    ("mật ong", [("1-04", "Mật ong hoa nhãn {place}"), ("1-04", "Mật ong rừng {place}"), ("1-04", "Phấn hoa {place}")]),
    (
        "đồ uống",
        [("2-01", "Rượu làng Vân {place}"), ("2-03", "Nước cốt gừng {place}"), ("2-02", "Rượu nếp cẩm {place}")],
    ),
    (
        "dược liệu",
        [("3-04", "Trà hoa cúc {place}"), ("3-02", "Tinh dầu bưởi {place}"), ("3-01", "Cao ích mẫu {place}")],
    ),
    ("sữa", [("1-02", "Sữa tươi Ba Vì {place}"), ("1-08", "Sữa chua nếp cẩm {place}"), ("1-08", "Bánh sữa {place}")]),
    ("lụa", [("4-03", "Khăn lụa tơ tằm {place}"), ("4-03", "Áo dài lụa {place}"), ("4-03", "Túi lụa thêu {place}")]),
]
PEOPLE = [
    "Nguyễn Thị Hoa",
    "Trần Văn Bình",
    "Lê Thị Mai",
    "Phạm Văn Hùng",
    "Hoàng Thị Lan",
    "Vũ Văn Nam",
    "Đặng Thị Thu",
    "Bùi Văn Long",
    "Đỗ Thị Hạnh",
    "Ngô Văn Tuấn",
    "Dương Thị Ngọc",
    "Lý Văn Sơn",
]
KIND_PREFIX = {
    ProducerKind.COOPERATIVE: "HTX {trade} {place}",
    ProducerKind.ENTERPRISE: "Công ty TNHH {trade} {place}",
    ProducerKind.HOUSEHOLD_BUSINESS: "Hộ kinh doanh {person}",
    ProducerKind.COOPERATIVE_GROUP: "Tổ hợp tác {trade} {place}",
}
KINDS = [
    ProducerKind.COOPERATIVE,
    ProducerKind.ENTERPRISE,
    ProducerKind.HOUSEHOLD_BUSINESS,
    ProducerKind.COOPERATIVE,
    ProducerKind.COOPERATIVE_GROUP,
]
USERS = [
    ("coordinator", "Nguyễn Văn Điều Phối", Role.PROVINCE_COORDINATOR),
    ("commerce", "Trần Thị Công Thương", Role.COMMERCE_OFFICER),
    ("commune", "Lê Văn Xã", Role.COMMUNE_OFFICER),
    ("council", "Phạm Thị Hội Đồng", Role.COUNCIL_MEMBER),
    ("producer", "Hoàng Văn Chủ Thể", Role.PRODUCER),
    ("outlet", "Vũ Thị Điểm Bán", Role.OUTLET_OPERATOR),
    ("inspector", "Đỗ Văn Kiểm Tra", Role.INSPECTOR),
    ("admin", "Quản trị hệ thống", Role.SYSTEM_ADMIN),
]


@dataclass
class DemoReport:
    producers: int = 0
    products: int = 0
    documents: int = 0
    users: int = 0


def _identifier(kind: str, index: int) -> str:
    if kind in (ProducerKind.ENTERPRISE, ProducerKind.COOPERATIVE):
        return f"01{9000000 + index * 137:08d}"
    if kind == ProducerKind.HOUSEHOLD_BUSINESS:
        return f"001{190000000 + index * 7919:09d}"
    return ""


@transaction.atomic
def build_demo(
    *, producers: int = 60, products_per: tuple[int, int] = (2, 3), today: dt.date | None = None
) -> DemoReport:
    today = today or timezone.localdate()
    rng = random.Random(2024)  # noqa: S311  # reproducible demo data, not security
    report = DemoReport()
    actor = system_user()
    hanoi = Province.objects.get(code="01")
    communes = {c.short_name: c for c in Commune.objects.filter(province=hanoi)}
    resolver = PlaceResolver()
    sets = {s.code: s for s in ProductSet.objects.all()}
    made: list[Producer] = []
    for index in range(producers):
        kind = KINDS[index % len(KINDS)]
        trade, catalogue = TRADES[index % len(TRADES)]
        legacy_id = None
        if index % 5 == 0:  # a record from before 1 July 2025, with its old district address
            old_commune, old_district = LEGACY[(index // 5) % len(LEGACY)]
            match = resolver.resolve(province="Hà Nội", commune=old_commune, district=old_district)
            commune_id = match.commune_id or next(c[0] for c in match.candidates if c[2])
            commune = Commune.objects.get(pk=commune_id)
            legacy_id = match.legacy_commune_id
            place = old_commune
        else:
            commune = communes[COMMUNES[index % len(COMMUNES)]]
            place = commune.short_name
        identifier = _identifier(kind, index)
        person = PEOPLE[index % len(PEOPLE)]
        name = KIND_PREFIX[kind].format(trade=trade, place=place, person=person)
        if kind == ProducerKind.HOUSEHOLD_BUSINESS:
            name = f"{name} ({place})"
        existing = (
            Producer.objects.filter(identifier=identifier).first()
            if identifier
            else Producer.objects.filter(name=name, commune=commune).first()
        )
        if existing is None:
            existing = services.create_producer(
                by=actor,
                kind=kind,
                name=name,
                identifier=identifier,
                legal_representative=person,
                phone=f"09{12345670 + index:08d}",
                email=f"chuthe{index:02d}@example.vn" if index % 3 else "",
                address=f"Thôn {index % 9 + 1}",
                commune=commune,
                legacy_commune_id=legacy_id,
                women_led=index % 3 == 0,
                ethnic_minority=index % 11 == 0,
            )
            report.producers += 1
        made.append(existing)
        count = products_per[0] + (index % (products_per[1] - products_per[0] + 1))
        for n, (set_code, pattern) in enumerate(catalogue[:count]):
            product_name = pattern.format(place=place)
            if existing.products.filter(name=product_name).exists():
                continue
            gtin = _gtin(index * 10 + n) if n == 0 else ""
            services.create_product(
                by=actor,
                producer=existing,
                name=product_name,
                product_set=sets[set_code],
                commune=existing.commune,
                legacy_commune=existing.legacy_commune,
                description=f"{product_name}, sản phẩm của {existing.name}.",
                story="Sản phẩm gắn với nghề truyền thống của làng." if n == 0 else "",
                status=ProductStatus.DISCONTINUED if (index + n) % 17 == 0 else ProductStatus.ACTIVE,
                packs=[{"name": "Hộp", "size": rng.choice(["200 g", "500 g", "1 kg", "1 bộ"]), "gtin": gtin}],
            )
            report.products += 1
        report.documents += _documents(existing, index, today, actor)
    report.users = _users(made, hanoi, communes, actor)
    return report


def _gtin(n: int) -> str:
    body = f"893{8000000 + n:09d}"  # 893: GS1 Vietnam prefix
    return body + gtin_check_digit(body)


def _documents(producer: Producer, index: int, today: dt.date, actor: User) -> int:
    added = 0
    first_product = producer.products.order_by("id").first()
    specs = [
        (DocumentKind.BUSINESS_REGISTRATION, None, "Sở Tài chính Hà Nội", -2000, None),
        # Every fourth producer's food-safety certificate has expired; every seventh expires within 30 days.
        (
            DocumentKind.FOOD_SAFETY,
            None,
            "Chi cục An toàn vệ sinh thực phẩm Hà Nội",
            -1100,
            -20 if index % 4 == 0 else (15 if index % 7 == 0 else 400),
        ),
        (DocumentKind.TEST_REPORT, first_product, "Trung tâm Kiểm nghiệm", -200, 165),
    ]
    for kind, product, issuer, issued, expires in specs:
        pdf = tiny_pdf([f"{kind.label}", producer.name, f"So {index}-{kind.value}"])
        if Document.objects.filter(producer=producer, number=f"{index:03d}/{kind.value}").exists():
            continue
        services.add_document(
            producer=producer,
            by=actor,
            upload=io.BytesIO(pdf),
            original_name=f"{kind.value}.pdf",
            kind=kind,
            product=product,
            number=f"{index:03d}/{kind.value}",
            issuer=issuer,
            issued_on=today + dt.timedelta(days=issued),
            expires_on=today + dt.timedelta(days=expires) if expires is not None else None,
        )
        added += 1
    return added


def _users(made: list[Producer], hanoi: Province, communes: dict[str, Commune], actor: User) -> int:
    added = 0
    for username, full_name, role in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = create_user(username=username, password=DEMO_PASSWORD, full_name=full_name, by=actor)
            added += 1
        if role == Role.COMMUNE_OFFICER:
            for name in ("Bát Tràng", "Ba Vì"):
                grant_role(user=user, role=role, commune=communes[name], by=actor)
        elif role == Role.PRODUCER:
            services.link_producer_account(producer=made[1], user=user, by=actor)
        elif role == Role.SYSTEM_ADMIN:
            grant_role(user=user, role=role, by=actor)
        else:
            grant_role(user=user, role=role, province=hanoi, by=actor)
    return added


# A supplement the province office received from the communes, loaded through the real import: one row names a
# commune divided in 2025, and waits in the review queue for the Bát Tràng commune officer to place it.
SUPPLEMENT_ROWS = [
    ["", "Hợp tác xã", "HTX Gốm sứ Giang Cao", "", "Phạm Văn Giang", "0912000111", "", "thôn Giang Cao", "Bát Tràng",
     "Gia Lâm", "Hà Nội", "", ""],
]  # fmt: skip


def build_import_demo() -> str:
    """The supplement imported as the office would (good rows saved, the rest parked); running it twice adds
    nothing. Returns the import's summary line."""
    from ocop.core.excel import write_workbook
    from ocop.registry.columns import PRODUCER_COLUMNS
    from ocop.registry.imports import run_import
    from ocop.registry.models import ImportMode

    coordinator = User.objects.get(username="coordinator")
    headers = [t for _n, t in PRODUCER_COLUMNS]
    data = io.BytesIO(write_workbook(title="Bổ sung", headers=headers, rows=SUPPLEMENT_ROWS))
    return run_import("producers", data, user=coordinator, commit=True, mode=ImportMode.PARK).summary()
