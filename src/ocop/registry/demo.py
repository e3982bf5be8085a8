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

# Current communes of Hà Nội where demo producers sit (the 2025 structure), each with the craft or produce it is
# known for: what a local would expect to find there.
COMMUNES = [
    ("Bát Tràng", "gốm sứ"),
    ("Ba Vì", "sữa bò"),
    ("Chuyên Mỹ", "khảm trai"),
    ("Phú Nghĩa", "mây tre đan"),
    ("Suối Hai", "chè"),
    ("Thanh Oai", "nón lá"),
    ("Đông Anh", "mộc mỹ nghệ"),
    ("Gia Lâm", "rau an toàn"),
    ("Mê Linh", "hoa"),
    ("Sóc Sơn", "chè"),
    ("Thạch Thất", "chè lam"),
    ("Hoài Đức", "chế biến nông sản"),
    ("Hương Sơn", "mơ"),
    ("Hà Đông", "lụa"),
    ("Phúc Thọ", "bưởi"),
    ("Thường Tín", "bánh truyền thống"),
]
# Pre-2025 addresses (former commune, former district, trade) for producers registered before 1 July 2025; the
# first two were in Gia Lâm district, whose People's Committee recognised products until 30 June 2025.
LEGACY = [
    ("Bát Tràng", "Gia Lâm", "gốm sứ"),
    ("Tản Lĩnh", "Ba Vì", "sữa bò"),
    ("Phù Đổng", "Gia Lâm", "rau an toàn"),
    ("Ba Trại", "Ba Vì", "chè"),
    ("Phú Nghĩa", "Chương Mỹ", "mây tre đan"),
    ("Chuyên Mỹ", "Phú Xuyên", "khảm trai"),
    ("Duyên Thái", "Thường Tín", "sơn mài"),
    ("Dương Liễu", "Hoài Đức", "chế biến nông sản"),
    ("Quảng Phú Cầu", "Ứng Hòa", "hương"),
    ("Hương Sơn", "Mỹ Đức", "mơ"),
    ("Liên Hà", "Đông Anh", "mộc mỹ nghệ"),
    ("Tráng Việt", "Mê Linh", "hoa"),
]
# Each trade's products: (product set, name pattern).
TRADES = {
    "gốm sứ": [("4-01", "Bộ ấm chén men lam {place}"), ("4-02", "Bình hoa men rạn {place}"),
               ("4-01", "Bát đĩa gốm men ngọc {place}")],
    "sữa bò": [("1-02", "Sữa bò tươi thanh trùng {place}"), ("1-08", "Sữa chua {place}"),
               ("1-08", "Bánh sữa {place}")],
    "khảm trai": [("4-02", "Tranh khảm trai {place}"), ("4-01", "Hộp gỗ khảm trai {place}"),
                  ("4-02", "Bình phong khảm trai {place}")],
    "mây tre đan": [("4-01", "Giỏ mây {place}"), ("4-02", "Đèn tre trang trí {place}"),
                    ("4-01", "Khay tre đan {place}")],
    "chè": [("1-12", "Chè búp {place}"), ("1-12", "Chè xanh sao tay {place}"), ("1-13", "Trà túi lọc {place}")],
    "nón lá": [("4-01", "Nón lá {place}"), ("4-02", "Nón bài thơ {place}"), ("4-02", "Nón quai thao {place}")],
    "mộc mỹ nghệ": [("4-02", "Tượng gỗ {place}"), ("4-01", "Hộp trà gỗ hương {place}"),
                    ("4-02", "Hoành phi câu đối {place}")],
    "rau an toàn": [("1-01", "Rau cải ngọt {place}"), ("1-01", "Cà chua {place}"), ("1-07", "Dưa cải muối {place}")],
    "hoa": [("5-01", "Hoa hồng {place}"), ("5-01", "Hoa cúc {place}"), ("1-13", "Trà hoa hồng {place}")],
    "chè lam": [("1-06", "Chè lam {place}"), ("1-06", "Kẹo lạc {place}"), ("1-06", "Bánh gai {place}")],
    "chế biến nông sản": [("1-06", "Miến dong {place}"), ("1-07", "Bột sắn dây {place}"),
                          ("1-06", "Mạch nha {place}")],
    "mơ": [("2-02", "Rượu mơ {place}"), ("1-07", "Ô mai mơ {place}"), ("2-03", "Nước cốt mơ {place}")],
    "lụa": [("4-03", "Khăn lụa tơ tằm {place}"), ("4-03", "Áo dài lụa {place}"), ("4-03", "Khăn quàng lụa {place}")],
    "bưởi": [("1-01", "Bưởi Diễn {place}"), ("3-02", "Tinh dầu bưởi {place}"), ("1-07", "Mứt vỏ bưởi {place}")],
    "bánh truyền thống": [("1-06", "Bánh giầy {place}"), ("1-06", "Bánh chưng {place}"),
                          ("1-06", "Bánh giò {place}")],
    "sơn mài": [("4-02", "Tranh sơn mài {place}"), ("4-01", "Hộp sơn mài {place}"), ("4-01", "Khay sơn mài {place}")],
    "hương": [("4-02", "Hương trầm {place}"), ("4-02", "Hương vòng {place}"), ("4-02", "Nụ trầm {place}")],
}  # fmt: skip
# Villages and brands of each place: the producers of one place and trade are told apart by them (the first is the
# place itself), and so are their products.
VILLAGES = {
    "Bát Tràng": ["Bát Tràng", "Kim Lan", "Giang Cao", "Đa Tốn"],
    "Ba Vì": ["Ba Vì", "Vân Hòa", "Yên Bài", "Khánh Thượng"],
    "Chuyên Mỹ": ["Chuyên Mỹ", "Chuôn Ngọ", "Phú Túc", "Thượng Tiết"],
    "Phú Nghĩa": ["Phú Nghĩa", "Phú Vinh", "Yên Kiện", "Quảng Bị"],
    "Hương Sơn": ["Hương Sơn", "Yến Vĩ", "Đục Khê", "Hội Xá"],
    "Suối Hai": ["Suối Hai", "Cẩm Lĩnh", "Thụy An", "Minh Quang"],
    "Thanh Oai": ["Thanh Oai", "làng Chuông", "Phương Trung", "Cao Dương"],
    "Đông Anh": ["Đông Anh", "Vân Hà", "Thụy Lâm", "Dục Tú"],
    "Gia Lâm": ["Gia Lâm", "Đặng Xá", "Dương Xá", "Kim Sơn"],
    "Mê Linh": ["Mê Linh", "Hạ Lôi", "Văn Khê", "Đại Thịnh"],
    "Sóc Sơn": ["Sóc Sơn", "Minh Phú", "Hiền Ninh", "Bắc Sơn"],
    "Thạch Thất": ["Thạch Thất", "Thạch Xá", "Phùng Xá", "Bình Phú"],
    "Hoài Đức": ["Hoài Đức", "Minh Khai", "Cát Quế", "Yên Sở"],
    "Hà Đông": ["Hà Đông", "Vạn Phúc", "La Khê", "Kiến Hưng"],
    "Phúc Thọ": ["Phúc Thọ", "Võng Xuyên", "Hát Môn", "Phụng Thượng"],
    "Thường Tín": ["Thường Tín", "Vân Tảo", "Nhị Khê", "Hà Hồi"],
}
ENTERPRISE_BRANDS = ["Hưng Thịnh", "Phúc Lộc", "An Khang", "Minh Phát", "Thành Đạt", "Bảo Ngọc", "Đức Tâm", "Hòa Bình"]
# Packs that fit each product set: (pack, sizes).
PACKS = {
    "1-01": ("Túi", ["500 g", "1 kg"]), "1-02": ("Chai", ["1 lít", "500 ml"]), "1-06": ("Gói", ["200 g", "500 g"]),
    "1-07": ("Hũ", ["200 g", "300 g"]), "1-08": ("Hộp", ["100 g", "200 g"]), "1-12": ("Túi", ["200 g", "500 g"]),
    "1-13": ("Hộp", ["25 gói", "50 gói"]), "2-02": ("Chai", ["500 ml", "750 ml"]), "2-03": ("Chai", ["330 ml"]),
    "3-02": ("Lọ", ["10 ml", "50 ml"]), "4-01": ("Bộ", ["1 bộ"]), "4-02": ("Chiếc", ["1 chiếc"]),
    "4-03": ("Chiếc", ["1 chiếc"]), "5-01": ("Bó", ["10 bông", "20 bông"]),
}  # fmt: skip
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
    places_seen: dict[str, int] = {}
    for index in range(producers):
        kind = KINDS[index % len(KINDS)]
        legacy_id = None
        if index % 5 == 0:  # a record from before 1 July 2025, with its old district address
            old_commune, old_district, trade = LEGACY[(index // 5) % len(LEGACY)]
            match = resolver.resolve(province="Hà Nội", commune=old_commune, district=old_district)
            commune_id = match.commune_id or next(c[0] for c in match.candidates if c[2])
            commune = Commune.objects.get(pk=commune_id)
            legacy_id = match.legacy_commune_id
            place = old_commune
        else:
            commune_name, trade = COMMUNES[index % len(COMMUNES)]
            commune = communes[commune_name]
            place = commune.short_name
        catalogue = TRADES[trade]
        trade = trade[0].upper() + trade[1:]
        identifier = _identifier(kind, index)
        person = PEOPLE[index % len(PEOPLE)]
        # A second producer of a place takes a village of it, or a brand: no two share a name or product names.
        villages = VILLAGES.get(place, [place])
        seen = places_seen.get(place, 0)
        places_seen[place] = seen + 1
        brand = ENTERPRISE_BRANDS[index % len(ENTERPRISE_BRANDS)]
        village = villages[seen] if seen < len(villages) else f"{brand} {place}"
        name = KIND_PREFIX[kind].format(trade=trade, place=village, person=person)
        if kind == ProducerKind.ENTERPRISE and seen:
            name = f"Công ty TNHH {brand} {village}"
        if kind == ProducerKind.HOUSEHOLD_BUSINESS:
            name = f"{name} ({village})"
        place = village
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
                packs=[{"name": PACKS[set_code][0], "size": rng.choice(PACKS[set_code][1]), "gtin": gtin}],
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
        # Numbers as such papers carry them: the enterprise code, the certificate's and the laboratory's numbers.
        (DocumentKind.BUSINESS_REGISTRATION, None, "Sở Tài chính Hà Nội", -2000, None),
        # Every fourth producer's food-safety certificate has expired; every seventh expires within 30 days.
        (
            DocumentKind.FOOD_SAFETY,
            None,
            "Chi cục An toàn vệ sinh thực phẩm Hà Nội",
            -1100,
            -20 if index % 4 == 3 else (15 if index % 7 == 5 else 400),
        ),
        (DocumentKind.TEST_REPORT, first_product, "Trung tâm Kiểm nghiệm", -200, 165),
    ]
    numbers = {
        DocumentKind.BUSINESS_REGISTRATION: f"0108{index:06d}",
        DocumentKind.FOOD_SAFETY: f"{index:03d}/{today.year - 3}/ATTP-CNĐK",
        DocumentKind.TEST_REPORT: f"{120 + index:03d}/KQ-TTKN",
    }
    for kind, product, issuer, issued, expires in specs:
        number = numbers[kind]
        pdf = tiny_pdf([f"{kind.label}", producer.name, f"So {index}-{kind.value}"])
        # Once per producer and kind (the food-safety number carries a year: a run in another year finds it too).
        if Document.objects.filter(producer=producer, kind=kind, original_name=f"{kind.value}.pdf").exists():
            continue
        services.add_document(
            producer=producer,
            by=actor,
            upload=io.BytesIO(pdf),
            original_name=f"{kind.value}.pdf",
            kind=kind,
            product=product,
            number=number,
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
    report = run_import("producers", data, user=coordinator, commit=True, mode=ImportMode.PARK)
    waiting = report.parked  # the rows with a wrong value among them
    return (
        f"{report.total} row{'s' if report.total != 1 else ''} read, {report.created} added, "
        f"{report.updated + report.unchanged} already there, "
        f"{waiting} row{'s' if waiting != 1 else ''} set aside for review"
    )
