"""National scale: the 34 provinces and the ministry (load_places' places: 34 provinces, 3,321 communes, the central
level), 120,000 products (20,000 OCOP products of 3★ or more today, sized as a real catalogue entry: a description,
a story and two packs with their barcodes; 100,000 others), 60,000 certificates with their history (15,000 renewals
superseding 20,000 earlier certificates, 20,000 expired unrenewed, suspended and revoked ones, the ministry's 5★),
their log entries, 5,000 recognised outlets across the country with six products each and 1,000,000 monthly sales
rows. Loaded as a bulk load is (COPY on PostgreSQL, then ANALYZE, and VACUUM as autovacuum would); the generation
time is printed.

Then, each on the database named at the start:
1. the dashboard (`/bo/statistics/`) of the ministry's OCOP office and of a province's coordinator (Hà Nội): from the
   day's snapshot (p50/p95 of 20 loads) and recounted after a change (a Hà Nội certificate suspended or lifted
   through the service; median of 3; goal ≤ 150 ms), and every province's dashboard recounted, as the background
   recount does after a change once each was opened that day;
2. the public catalogue's search (certificates_bench's measurement; goal p95 ≤ 20 ms);
3. the open-data rebuild in a fresh interpreter (opendata_bench's: seconds and peak memory).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import statistics
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

PRODUCERS = 40_000
CERTIFIED = 20_000  # products of 3★ or more today, the first ones
OTHERS = 100_000
RENEWED = 15_000  # of the certified: an earlier certificate superseded by today's
TWICE = 5_000  # of those: a second, still earlier one
LAPSED = 20_000  # of the others: a certificate expired and not renewed
OUTLETS = 5_000
SHELF = 6
SALES = 1_000_000
PER_DECISION = 200
DECISION_DAYS = 61  # a province signs a recognition decision every two months or so
RECOUNTS = 3

DESCRIPTION = [
    "Sản phẩm được sản xuất từ nguyên liệu trồng tại địa phương, thu hoạch đúng vụ và sơ chế ngay trong ngày.",
    "Quy trình sản xuất khép kín, đạt tiêu chuẩn VietGAP và được kiểm soát an toàn thực phẩm theo HACCP.",
    "Đóng gói hút chân không, bảo quản nơi khô ráo, thoáng mát, tránh ánh nắng trực tiếp.",
    "Hạn sử dụng 12 tháng kể từ ngày sản xuất in trên bao bì; sau khi mở bao nên dùng trong 30 ngày.",
    "Không sử dụng chất bảo quản, phẩm màu hay hương liệu tổng hợp; hương vị tự nhiên, đậm đà.",
    "Có truy xuất nguồn gốc bằng mã QR trên từng sản phẩm, từ vùng nguyên liệu đến khâu đóng gói.",
    "Phân phối tại các điểm bán sản phẩm OCOP, siêu thị, hội chợ xúc tiến thương mại và sàn thương mại điện tử.",
]
STORY = [
    "Nghề truyền thống của làng đã có từ hơn một trăm năm, được các thế hệ gìn giữ và truyền lại cho con cháu.",
    "Năm 2015, hợp tác xã được thành lập để liên kết các hộ sản xuất, thống nhất quy trình và xây dựng thương hiệu.",
    "Nhờ chương trình Mỗi xã một sản phẩm, sản phẩm được đầu tư bao bì, nhãn mác và tham gia nhiều hội chợ.",
    "Hiện nay hợp tác xã tạo việc làm ổn định cho hơn năm mươi lao động địa phương, phần lớn là phụ nữ.",
    "Vùng nguyên liệu được mở rộng lên hàng chục héc-ta, canh tác theo hướng hữu cơ, không dùng thuốc diệt cỏ.",
    "Sản phẩm từng đạt giải tại hội chợ nông sản vùng và được chọn làm quà tặng trong các sự kiện của tỉnh.",
    "Mỗi sản phẩm là tâm huyết của người làm nghề, mang hương vị quê hương đến với người tiêu dùng cả nước.",
    "Trong thời gian tới, chủ thể hướng tới xuất khẩu và nâng hạng sản phẩm lên bốn sao, năm sao.",
]
PACKS = [("Hộp giấy", "250 g"), ("Túi zip", "500 g"), ("Chai thủy tinh", "500 ml"), ("Hộp quà", "1 kg")]
PRODUCER_FIELDS = (
    "id",
    "kind",
    "name",
    "identifier",
    "identifier_kind",
    "province",
    "commune",
    "address",
    "search_text",
)
PRODUCT_FIELDS = (
    "id",
    "producer",
    "name",
    "product_set",
    "group",
    "province",
    "commune",
    "description",
    "story",
    "status",
    "search_text",
)
CERTIFICATE_FIELDS = (
    "id",
    "item",
    "decision",
    "product",
    "producer",
    "province",
    "commune",
    "number",
    "series",
    "year",
    "sequence",
    "stars",
    "issued_on",
    "valid_until",
    "code",
    "status",
    "status_since",
    "status_reason",
    "superseded_by",
    "claim",
    "key_id",
    "signature",
)
OUTLET_FIELDS = (
    "id",
    "code",
    "kind",
    "name",
    "operator",
    "province",
    "commune",
    "address",
    "latitude",
    "longitude",
    "location_type",
    "opening_hours",
    "hours",
    "status",
    "status_since",
    "decision_number",
    "decision_date",
    "phone",
    "map_feature",
)
HOURS = ["Hằng ngày 8:00-21:00", "T2-T6 7:30-17:30; T7, CN 8:00-12:00", "T2-CN 8:00-22:00", "", "T3-CN 9:00-18:00"]


class _Ids:
    """The next id of each table, given here so that nothing needs reading back."""

    def __init__(self, *models: Any) -> None:
        from bench.data import next_id

        self.next = {m: next_id(m) for m in models}

    def take(self, model: Any) -> int:
        self.next[model] += 1
        return self.next[model] - 1


def _paragraph(rng: random.Random, pool: list[str], sentences: int) -> str:
    return " ".join(rng.sample(pool, min(sentences, len(pool))))


def _places() -> tuple[list[Any], dict[int, Any], Any]:
    from ocop.places.models import Commune, Province
    from ocop.places.queries import central_level

    communes = list(Commune.objects.filter(province__central=False).select_related("province").order_by("code"))
    provinces = {p.pk: p for p in Province.objects.filter(central=False)}
    return communes, provinces, central_level()


def _registry(rng: random.Random, ids: _Ids, communes: list[Any]) -> list[tuple[int, int, int, int | None, str, str]]:
    """Producers and products (the certified ones with their packs). Returns each product as (id, producer id,
    province id, commune id, name, producer's name)."""
    from bench.data import BASES, SETS, gtin, load_rows, product_names
    from ocop.core.text import fold
    from ocop.registry.enums import ProducerKind
    from ocop.registry.models import Producer, Product, ProductPack, ProductSet

    kinds = [ProducerKind.COOPERATIVE, ProducerKind.ENTERPRISE, ProducerKind.HOUSEHOLD_BUSINESS,
             ProducerKind.COOPERATIVE, ProducerKind.COOPERATIVE_GROUP]  # fmt: skip
    producers = []
    for i in range(PRODUCERS):
        commune = communes[(i * 7) % len(communes)]
        name = f"{'HTX' if i % 5 in (0, 3) else 'Công ty TNHH' if i % 5 == 1 else 'Hộ kinh doanh'} {rng.choice(BASES)} "
        name += f"{commune.short_name} {i}"
        producers.append((ids.take(Producer), kinds[i % 5], name, f"08{i:08d}", "tax_code", commune.province_id,
                          commune.pk, f"Thôn {i % 12 + 1}, {commune.name}", fold(f"{name} 08{i:08d}")))  # fmt: skip
    load_rows(Producer, PRODUCER_FIELDS, producers)
    sets = [row for code in SETS for row in ProductSet.objects.filter(code=code).values_list("id", "group_id")]
    products, rows, packs = [], [], []
    for i, name in enumerate(product_names(CERTIFIED + OTHERS, seed=19)):
        producer_id, _kind, pname, _ident, _ik, province_id, commune_id, *_rest = producers[i % PRODUCERS]
        pid = ids.take(Product)
        set_id, group_id = sets[i % len(sets)]
        real = i < CERTIFIED
        description = _paragraph(rng, DESCRIPTION, 5) if real else (_paragraph(rng, DESCRIPTION, 1) if i % 4 else "")
        story = _paragraph(rng, STORY, 6) if real else ""
        rows.append((pid, producer_id, name, set_id, group_id, province_id, commune_id, description, story, "active",
                     fold(f"{name} {pname}")))  # fmt: skip
        products.append((pid, producer_id, province_id, commune_id, name, pname))
        if real:
            for n, (pack, size) in enumerate(rng.sample(PACKS, 2)):
                packs.append((ids.take(ProductPack), pid, pack, size, gtin(i * 2 + n)))
    load_rows(Product, PRODUCT_FIELDS, rows)
    load_rows(ProductPack, ["id", "product", "name", "size", "gtin"], packs)
    return products


def _certificates(rng: random.Random, ids: _Ids, products: list[Any], provinces: dict[int, Any], central: Any,
                  today: dt.date) -> None:  # fmt: skip
    """Today's certificates of the certified products, their renewals' earlier generations, the lapsed ones of other
    products; their decisions, items, counters and log entries; the products' copy of their latest certificate."""
    from bench.data import db_value, load_rows
    from ocop.certificates import rules
    from ocop.certificates.models import Certificate, CertificateCounter, Decision, DecisionItem, LogEntry
    from ocop.registry.models import Product

    # (product index, generation) → issue day, stars, status, status since; generation 0 is today's.
    plan: list[dict[str, Any]] = []
    for i in range(CERTIFIED):
        issued = today - dt.timedelta(days=(i * 37) % 1010 + 1)  # decisions' days (below) up to 61 days earlier
        stars = 5 if i % 100 < 3 else 4 if i % 100 < 40 else 3
        status = "suspended" if i % 50 == 7 else "revoked" if i % 97 == 5 else "valid"
        since = issued if status == "valid" else min(today, issued + dt.timedelta(days=90))
        plan.append({"product": i, "issued": issued, "stars": stars, "status": status, "since": since})
        if i < RENEWED:
            earlier = rules.add_months(issued, -36)
            plan.append({"product": i, "issued": earlier, "stars": max(3, min(4, stars - 1)), "status": "superseded",
                         "since": issued, "by": len(plan) - 1})  # fmt: skip
            if i < TWICE:
                plan.append({"product": i, "issued": rules.add_months(earlier, -36), "stars": 3,
                             "status": "superseded", "since": earlier, "by": len(plan) - 1})  # fmt: skip
    for j in range(LAPSED):
        issued = dt.date(2019, 1, 7) + dt.timedelta(days=(j * 53) % 1370)
        plan.append({"product": CERTIFIED + j, "issued": issued, "stars": 3 + j % 2, "status": "valid",
                     "since": issued})  # fmt: skip
    # Decisions: each province every DECISION_DAYS, the ministry for the 5 stars; up to PER_DECISION items.
    by_decision: dict[tuple[int, dt.date], list[int]] = defaultdict(list)
    for n, row in enumerate(plan):
        _pid, _producer, province_id, *_rest = products[row["product"]]
        body = central.pk if row["stars"] == 5 else province_id
        day = row["issued"] - dt.timedelta(days=row["issued"].toordinal() % DECISION_DAYS)
        row["issued"] = day
        row["since"] = max(row["since"], day)
        by_decision[(body, day)].append(n)
    decisions, numbers = [], defaultdict(int)
    for (body, day), members in sorted(by_decision.items(), key=lambda kv: kv[0][1]):
        for start in range(0, len(members), PER_DECISION):
            numbers[(body, day.year)] += 1
            is_central = body == central.pk
            decision = Decision(
                id=ids.take(Decision), province_id=body, level="ministry" if is_central else "province",
                issuing_body=central.name if is_central else f"Ủy ban nhân dân {provinces[body].name}",
                number=f"{numbers[(body, day.year)]}/QĐ-{'BNNMT' if is_central else 'UBND'}", signed_on=day,
                year=day.year, legal_basis=rules.legal_basis_for(day), state="issued",
            )  # fmt: skip
            decisions.append(decision)
            for n in members[start : start + PER_DECISION]:
                plan[n]["decision"] = decision
    Decision.objects.bulk_create(decisions, batch_size=1000)
    for row in plan:  # ids first: a superseded certificate points to its successor
        row["id"], row["item"] = ids.take(Certificate), ids.take(DecisionItem)
    counters: dict[tuple[int, str, int], int] = defaultdict(int)
    items, certs, log = [], [], []
    copy: dict[int, dict[str, Any]] = {}
    for row in sorted(plan, key=lambda r: (r["issued"], r["id"])):
        pid, producer_id, province_id, commune_id, name, producer = products[row["product"]]
        decision, day, stars = row["decision"], row["issued"], row["stars"]
        series = "TW" if decision.province_id == central.pk else ""
        counters[(province_id if not series else 0, series, day.year)] += 1
        sequence = counters[(province_id if not series else 0, series, day.year)]
        number = f"{series or provinces[province_id].code}-{day.year}-{sequence:05d}"
        until, code = rules.valid_until(day), rules.new_code()
        status, since = row["status"], row["since"]
        by = plan[row["by"]]["id"] if "by" in row else None
        items.append((row["item"], decision.pk, pid, stars, len(items)))
        certs.append((row["id"], row["item"], decision.pk, pid, producer_id, province_id, commune_id, number, series,
                      day.year, sequence, stars, db_value(day), db_value(until), code, status, db_value(since),
                      "Kiểm tra định kỳ" if status in ("suspended", "revoked") else "", by,
                      f"{number}|{code}|{name}|{stars}", "bench", "-"))  # fmt: skip
        data = {"code": code, "product": name, "producer": producer, "stars": stars, "issued_on": day.isoformat(),
                "valid_until": until.isoformat()}  # fmt: skip
        log.append((day, 0, "issued", row["id"], {**data, "decision": decision.number}))
        if status != "valid":
            log.append((since, 1, status, row["id"], {**data, "status": status, "reason": "Kiểm tra định kỳ"}))
        if row["product"] not in copy or copy[row["product"]]["day"] <= day:
            copy[row["product"]] = {"day": day, "status": status, "stars": stars, "until": until}
    for row in plan:
        row.pop("decision")
    load_rows(DecisionItem, ["id", "decision", "product", "stars", "position"], items)
    load_rows(Certificate, CERTIFICATE_FIELDS, certs)
    CertificateCounter.objects.bulk_create(
        CertificateCounter(province_id=p or central.pk, series=s, year=y, last=last)
        for (p, s, y), last in counters.items()
    )
    log.sort(key=lambda e: (e[0], e[1], e[3]))
    seq = LogEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    entries = []
    for n, (day, _order, event, cert_id, data) in enumerate(log, start=seq + 1):
        at = dt.datetime.combine(day, dt.time(2, 30), tzinfo=dt.UTC)  # 09:30 in Hà Nội
        entries.append((ids.take(LogEntry), n, db_value(at), event, cert_id, json.dumps(data, ensure_ascii=False),
                        "-", f"national-{n}"))  # fmt: skip
    load_rows(LogEntry, ["id", "seq", "at", "event", "certificate", "data", "prev_hash", "hash"], entries)
    from ocop.core.bulk import update_rows

    changed = []
    for index, latest in copy.items():
        product = Product(pk=products[index][0], ocop_status=latest["status"], ocop_stars=latest["stars"],
                          ocop_until=latest["until"], ocop_potential_five=False)  # fmt: skip
        changed.append(product)
    update_rows(Product, ["ocop_status", "ocop_stars", "ocop_until"], changed, batch=5000)


def _outlets(rng: random.Random, ids: _Ids, communes: list[Any], today: dt.date) -> list[tuple[int, int, int]]:
    """Recognised outlets across the country, each with a shelf of the certified products of its province (the
    country's where its province has too few). Returns the shelves' lines as (outlet, product, producer)."""
    from bench.data import db_value, load_rows
    from ocop.outlets.checklists import load_checklists
    from ocop.outlets.enums import LocationType, OutletKind, OutletStatus
    from ocop.outlets.models import Operator, Outlet, StockItem
    from ocop.outlets.queries import map_feature
    from ocop.outlets.rules import parse_hours, week_text
    from ocop.registry.models import Product

    load_checklists()
    operators = Operator.objects.bulk_create(Operator(name=f"Đơn vị vận hành {i}") for i in range(500))
    current = list(Product.objects.filter(ocop_status="valid", ocop_until__gte=today).values_list(
        "id", "producer_id", "province_id"))  # fmt: skip
    by_province: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for pid, producer_id, province_id in current:
        by_province[province_id].append((pid, producer_id))
    everywhere = [(pid, producer_id) for pid, producer_id, _p in current]
    kinds, places = list(OutletKind.values), [v for v in LocationType.values if v != "other"]
    rows, lines = [], []
    for i in range(OUTLETS):
        commune = communes[(i * 13) % len(communes)]
        province = commune.province
        hours = HOURS[i % len(HOURS)]
        day = dt.date(2020, 1, 15) + dt.timedelta(days=(i * 7) % 2150)
        lat = (commune.latitude or province.latitude or 16.0) + rng.uniform(-0.02, 0.02)
        lon = (commune.longitude or province.longitude or 106.0) + rng.uniform(-0.02, 0.02)
        outlet = Outlet(
            pk=ids.take(Outlet), code=f"{province.code}-DB-{i + 1:05d}", kind=kinds[i % 7 % 3],
            name=f"Điểm OCOP {commune.short_name} {i + 1}", commune=commune, address=f"Số {i % 300 + 1} đường Chính",
            latitude=lat, longitude=lon, opening_hours=hours, phone="0912345678",
        )  # fmt: skip
        rows.append((outlet.pk, outlet.code, outlet.kind, outlet.name, operators[i % 500].pk, province.pk, commune.pk,
                     outlet.address, lat, lon, places[i % len(places)], hours, week_text(parse_hours(hours)),
                     OutletStatus.RECOGNISED, db_value(day), f"{i + 1}/QĐ-SCT", db_value(day), outlet.phone,
                     map_feature(outlet)))  # fmt: skip
        pool = by_province[province.pk] if len(by_province[province.pk]) >= SHELF else everywhere
        for pid, producer_id in rng.sample(pool, SHELF):
            lines.append((ids.take(StockItem), outlet.pk, pid, db_value(day), producer_id))
    load_rows(Outlet, OUTLET_FIELDS, rows)
    load_rows(StockItem, ["id", "outlet", "product", "added_on"], (line[:4] for line in lines))
    return [(outlet_id, pid, producer_id) for _id, outlet_id, pid, _day, producer_id in lines]


def _sales(rng: random.Random, ids: _Ids, lines: list[tuple[int, int, int]], today: dt.date) -> None:
    """SALES monthly rows: every shelf line's sales, month after month back from this one."""
    from bench.data import db_value, load_rows
    from ocop.outlets.models import SalesRecord

    def rows() -> Iterator[tuple[Any, ...]]:
        month, made = today.replace(day=1), 0
        while True:
            first = db_value(month)
            for outlet_id, product_id, producer_id in lines:
                if made == SALES:
                    return
                quantity = rng.randint(1, 80)
                yield (ids.take(SalesRecord), outlet_id, first, product_id, producer_id, quantity,
                       quantity * rng.choice((45_000, 120_000, 250_000)))  # fmt: skip
                made += 1
            month = (month - dt.timedelta(days=1)).replace(day=1)

    load_rows(SalesRecord, ["id", "outlet", "month", "product", "producer", "quantity", "revenue"], rows())
    try:  # the outlets' monthly sums, which the sales services keep with the rows (REPORTS, issue 19)
        from ocop.outlets.sales_months import rebuild
    except ImportError:
        return
    rebuild()


def generate() -> str:
    """The national data set, loaded as a bulk load is; returns the time each part took (wall and this process's
    CPU: on a shared box the wall time is mostly waiting, and on PostgreSQL the server's work is not in the CPU)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from bench.data import reset_ids, settle
    from ocop.certificates.models import Certificate, Decision, DecisionItem, LogEntry
    from ocop.outlets.models import Outlet, SalesRecord, StockItem
    from ocop.registry.models import Producer, Product, ProductPack

    rng = random.Random(19)  # noqa: S311  # bench data
    today = timezone.localdate()
    communes, provinces, central = _places()
    models = (Producer, Product, ProductPack, Decision, DecisionItem, Certificate, LogEntry, Outlet, StockItem,
              SalesRecord)  # fmt: skip
    ids = _Ids(*models)
    parts: list[str] = []
    clock = [time.perf_counter(), time.process_time()]
    first = list(clock)

    def lap(label: str) -> None:
        now = [time.perf_counter(), time.process_time()]
        parts.append(f"{label} {now[0] - clock[0]:.0f} s (CPU {now[1] - clock[1]:.0f} s)")
        clock[:] = now

    with transaction.atomic():
        products = _registry(rng, ids, communes)
        lap("producers and products")
        _certificates(rng, ids, products, provinces, central, today)
        lap("certificates and log")
        lines = _outlets(rng, ids, communes, today)
        lap("outlets")
        _sales(rng, ids, lines, today)
        reset_ids(*models)
        lap("sales")
    settle()  # as a database stands after a bulk load (PostgreSQL: VACUUM ANALYZE)
    lap("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    total = f"{clock[0] - first[0]:.0f} s (CPU {clock[1] - first[1]:.0f} s)"
    return f"{total}: {', '.join(parts)}"


def _dashboard(label: str, client: Any, scope: Any, change: Any) -> None:
    """`/bo/statistics/` as `client`'s user sees it: from the day's snapshot, and recounted after a change (a
    certificate suspended or lifted through the service)."""
    from bench.data import page_loads
    from ocop.reporting.snapshots import figures

    recounted, warm = page_loads(client, "/bo/statistics/", recounts=RECOUNTS, change=change)
    shown = figures(scope)
    print(f"national: dashboard of {label} ({shown['total']:,} OCOP products, {shown['registered'][1]:,} registered, "
          f"{sum(r[1] for r in shown['outlets']):,} outlets): from the snapshot p50 {statistics.median(warm):.0f} ms, "
          f"p95 {warm[18]:.0f} ms; recounted after a change: median {statistics.median(recounted):.0f} ms of "
          f"{RECOUNTS}, worst {max(recounted):.0f} ms (goal ≤ 150 ms)")  # fmt: skip


def _dashboards() -> None:
    from django.test import Client
    from django.utils import timezone

    from bench.data import certificate_change
    from ocop.accounts.models import Role
    from ocop.accounts.services import create_user, grant_role
    from ocop.places.models import Province
    from ocop.places.queries import central_level
    from ocop.reporting import access, snapshots, stats

    today = timezone.localdate()
    national = 0
    officer = create_user(username="national-changes", password="bench-password-1")  # noqa: S106
    grant_role(user=officer, role=Role.PROVINCE_COORDINATOR, province=Province.objects.get(code="01"))
    change = certificate_change(officer, "01")  # Hà Nội's: on both dashboards
    for username, province, label in (
        ("national-ministry", central_level(), "the ministry's OCOP office"),
        ("national-hanoi", Province.objects.get(code="01"), "Hà Nội's coordinator"),
    ):
        user = create_user(username=username, password="bench-password-1")  # noqa: S106
        grant_role(user=user, role=Role.PROVINCE_COORDINATOR, province=province)
        client = Client()  # its requests say secure: as behind nginx's TLS (production redirects plain HTTP)
        client.force_login(user)
        scope = access.statistics_scope(user)  # the ministry's: the whole country (keyed by the central level's row)
        _dashboard(label, client, scope, change)
        national = national or (snapshots.figures(scope)["total"] if scope.national else 0)
    provinces = list(Province.objects.filter(central=False).values_list("pk", flat=True))
    started = time.perf_counter()
    total = sum(snapshots.compute(stats.Scope(pk, None, today))["total"] for pk in provinces)
    seconds = time.perf_counter() - started
    print(f"national: every province's dashboard recounted ({len(provinces)} provinces, {total:,} OCOP products in "
          f"all, the national dashboard {national:,}): {seconds:.1f} s, "
          f"{seconds / len(provinces) * 1000:.0f} ms a province")  # fmt: skip


def run(out: Path) -> None:
    from django.utils import timezone

    from bench import certificates_bench, opendata_bench
    from ocop.certificates.models import Certificate, LogEntry
    from ocop.outlets.models import Outlet, SalesRecord
    from ocop.places.models import Commune, Province
    from ocop.registry.models import Product

    if Product.objects.exists():
        raise SystemExit("national: the national data set needs a database of its own (`python -m bench national`)")
    took = generate()
    ocop = Product.objects.filter(ocop_status="valid", ocop_until__gte=timezone.localdate()).count()
    print(f"national: generated {Province.objects.filter(central=False).count()} provinces and the ministry, "
          f"{Commune.objects.count():,} communes, {Product.objects.count():,} products "
          f"({ocop:,} OCOP today), "
          f"{Certificate.objects.count():,} certificates, {LogEntry.objects.count():,} log entries, "
          f"{Outlet.objects.count():,} outlets, {SalesRecord.objects.count():,} sales rows in {took}")  # fmt: skip
    _dashboards()
    certificates_bench._catalogue()
    print(f"open data: {opendata_bench.rebuild_figures()}")
