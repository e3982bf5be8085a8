"""Generated, realistic-looking OCOP data for benchmarks."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import random
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ocop.registry.demo import COMMUNES
from ocop.registry.validators import gtin_check_digit

if TYPE_CHECKING:
    from django.db.models import Model

BASES = [
    "Chè búp",
    "Chè Thái Nguyên",
    "Trà sen",
    "Trà hoa cúc",
    "Bánh đa nem",
    "Bánh đậu xanh",
    "Bánh chưng",
    "Miến dong",
    "Gạo nếp cái hoa vàng",
    "Gạo tám thơm",
    "Mật ong hoa nhãn",
    "Mật ong rừng",
    "Đường phèn",
    "Rượu làng Vân",
    "Rượu nếp cẩm",
    "Nước mắm",
    "Tương bần",
    "Giò lụa",
    "Chả cốm",
    "Cốm làng Vòng",
    "Bưởi Diễn",
    "Cam Canh",
    "Nhãn lồng",
    "Vải thiều",
    "Sữa tươi",
    "Sữa chua",
    "Gốm men lam",
    "Bình gốm",
    "Ấm chén",
    "Giỏ mây",
    "Khay tre",
    "Đèn tre",
    "Khăn lụa",
    "Áo dài lụa",
    "Tinh dầu bưởi",
    "Cao ích mẫu",
    "Hương trầm",
    "Nón lá",
    "Tranh thêu",
    "Quạt giấy",
]
# The demo's communes plus a few craft villages.
PLACES = [
    *COMMUNES,
    "Tân Cương",
    "Thổ Hà",
    "Vạn Phúc",
    "Đường Lâm",
    "Làng Vòng",
    "Phú Vinh",
    "Quảng Phú Cầu",
    "Tam Hiệp",
]
SUFFIXES = ["", "đặc biệt", "truyền thống", "hữu cơ", "cao cấp", "loại 1", "gia truyền", "sấy lạnh"]
SETS = [
    "1-01",
    "1-03",
    "1-04",
    "1-06",
    "1-07",
    "1-08",
    "1-12",
    "1-13",
    "2-01",
    "2-03",
    "3-02",
    "3-04",
    "4-01",
    "4-02",
    "4-03",
]


def product_names(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)  # noqa: S311  # reproducible data, not security
    names = []
    for i in itertools.count():
        if len(names) == count:
            break
        name = f"{rng.choice(BASES)} {rng.choice(PLACES)} {rng.choice(SUFFIXES)}".strip()
        names.append(f"{name} {i % 97}" if i % 3 == 0 else name)
    return names


def gtin(n: int) -> str:
    body = f"893{5000000 + n:09d}"
    return body + gtin_check_digit(body)


# Loading generated rows fast, on either database, and saying which database a bench ran on.


def database() -> str:
    """The database the benches run on, as each bench's first line names it: vendor and server version."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]} ({connection.settings_dict['NAME']})"
        cursor.execute("SELECT sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]} ({Path(connection.settings_dict['NAME']).name})"


@functools.cache
def db_value(value: dt.date | dt.datetime) -> Any:
    """A date or time as the database takes it in a plain INSERT or COPY (text on SQLite), each adapted once."""
    from django.db import connection

    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return connection.ops.adapt_datefield_value(value)


def next_id(model: type[Model]) -> int:
    """The first id above every row there: the rows loaded here carry their ids, so nothing needs reading back."""
    from django.db.models import Max

    return (model._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1


def load_rows(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert `rows` (database-ready values in the order of `fields`, ids included; JSON as text) into `model`'s
    table: COPY on PostgreSQL, executemany on SQLite. Every other column takes its field's default (now for the
    time stamps), so a column added later with a default needs no change here. Call `reset_ids` after."""
    from django.db import connection
    from django.utils import timezone

    meta = model._meta
    given = [meta.get_field(name) for name in fields]
    rest = [f for f in meta.concrete_fields if f not in given]
    now = timezone.now()
    fill = tuple(
        db_value(now) if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        else f.get_db_prep_save(f.get_default(), connection)
        for f in rest
    )  # fmt: skip
    names = ", ".join(connection.ops.quote_name(f.column) for f in [*given, *rest])
    table = connection.ops.quote_name(meta.db_table)
    total = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row, *fill))
                    total += 1
            return total
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * (len(given) + len(rest)))})"
        iterator = iter(rows)
        while chunk := [(*row, *fill) for row in itertools.islice(iterator, 10_000)]:
            cursor.executemany(sql, chunk)
            total += len(chunk)
    return total


def reset_ids(*models: type[Model]) -> None:
    """PostgreSQL's id sequences moved past the ids `load_rows` gave (nothing to do on SQLite)."""
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(sql)


def page_loads(
    client: Any, url: str, *, recounts: int = 3, warm: int = 20, shows: str = "", change: Any = None
) -> tuple[list[float], list[float]]:
    """Milliseconds of `client` loading a dashboard `url` (which must answer 200, holding `shows`): after a warm-up,
    `recounts` loads each just after a change (`change()`, by default the generation bumped alone: the page recounts
    its figures, as before the background recount has run), then `warm` loads from the snapshot, sorted. Returns
    (recounted, warm)."""
    import time

    from ocop.reporting.snapshots import bump

    def load() -> float:
        started = time.perf_counter()
        response = client.get(url, secure=True)  # secure: as behind nginx's TLS (production redirects plain HTTP)
        assert response.status_code == 200, response.status_code
        assert shows in response.content.decode(), shows
        return (time.perf_counter() - started) * 1000

    load()
    recounted = []
    for _ in range(recounts):
        (change or bump)()
        recounted.append(load())
    return recounted, sorted(load() for _ in range(warm))


def certificate_change(user: Any, province_code: str) -> Any:
    """A change the dashboards recount after: each call suspends one of the province's valid certificates through the
    service, or lifts it again (logged, signalled, the generation bumped, as an officer's change is). The bench data
    wrote its log entries in bulk: the log's head row is set to its last entry first."""
    from ocop.certificates import lifecycle
    from ocop.certificates.models import Certificate, LogEntry, LogHead

    last = LogEntry.objects.order_by("-seq").values_list("seq", "hash").first()
    if last:
        LogHead.objects.update_or_create(pk=1, defaults={"seq": last[0], "hash": last[1]})
    cert = (  # one of the province's own decisions: the ministry's 5-star certificates are the ministry's to lift
        Certificate.objects.filter(status="valid", province__code=province_code, decision__province__code=province_code)
        .order_by("-issued_on")
        .first()
    )

    def change() -> None:
        assert cert is not None
        cert.refresh_from_db()
        if cert.status == "valid":
            lifecycle.suspend(by=user, certificate=cert, reason="Kiểm tra đột xuất (bench)")
        else:
            lifecycle.lift(by=user, certificate=cert)

    return change


def settle() -> None:
    """End a bench's bulk load as a production database stands a few minutes after one: ANALYZE everything, and on
    PostgreSQL VACUUM too, as autovacuum would (the visibility map lets counts read an index alone; this machine's
    PostgreSQL runs with autovacuum off, a production one with it on)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
