"""Import of a 10,000-row products workbook: rows per second and peak memory (goal ≥ 2,000 rows/s, < 300 MB)."""

from __future__ import annotations

import multiprocessing
import resource
import time
from pathlib import Path

ROWS = 10_000
PRODUCERS = 500


def _workbooks(out: Path) -> tuple[Path, Path]:
    from bench.data import SETS, gtin, product_names
    from ocop.core.excel import write_workbook
    from ocop.registry.columns import PRODUCER_COLUMNS, PRODUCT_COLUMNS

    communes = ["Ba Vì", "Bát Tràng", "Chuyên Mỹ", "Phú Nghĩa", "Vân Đình", "Thanh Oai", "Đông Anh", "Mỹ Đức"]
    legacy = [("Tản Lĩnh", "Ba Vì"), ("Phú Nghĩa", "Chương Mỹ"), ("Tam Hiệp", "Phúc Thọ")]
    producers = [
        [
            "Hợp tác xã",
            f"HTX Sản xuất số {i}",
            f"0108{i:06d}",
            "",
            "",
            "",
            "",
            communes[i % len(communes)],
            "",
            "Hà Nội",
            "",
            "",
        ]
        for i in range(PRODUCERS)
    ]
    products = []
    for i, name in enumerate(product_names(ROWS)):
        if i % 10 == 0:  # one row in ten carries a pre-2025 address
            commune, district = legacy[i % len(legacy)]
        else:
            commune, district = communes[i % len(communes)], ""
        products.append(
            [
                f"0108{i % PRODUCERS:06d}",
                "",
                name,
                SETS[i % len(SETS)],
                commune,
                district,
                "Hà Nội",
                f"Mô tả {name}",
                "",
                "Hộp",
                "500 g",
                gtin(i) if i % 2 else "",
                "Đang sản xuất",
            ]
        )
    p1, p2 = out / "producers.xlsx", out / "products.xlsx"
    p1.write_bytes(write_workbook(title="x", headers=[t for _n, t in PRODUCER_COLUMNS], rows=producers))
    p2.write_bytes(write_workbook(title="x", headers=[t for _n, t in PRODUCT_COLUMNS], rows=products))
    return p1, p2


def _child(path: str, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    import django

    django.setup()
    from ocop.accounts.services import system_user
    from ocop.registry.imports import run_import

    user = system_user()
    start = time.perf_counter()
    with open(path, "rb") as fh:
        report = run_import("products", fh, user=user, commit=True)
    elapsed = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((report.created, len(report.errors), elapsed, peak_mb))


def run(out: Path) -> None:
    from django.db import connection

    from ocop.accounts.services import system_user
    from ocop.registry.imports import run_import

    producers, products = _workbooks(out)
    with open(producers, "rb") as fh:
        report = run_import("producers", fh, user=system_user(), commit=True)
    assert report.committed, report.errors[:3]
    connection.close()
    ctx = multiprocessing.get_context("fork")
    queue: multiprocessing.Queue = ctx.Queue()  # type: ignore[type-arg]
    child = ctx.Process(target=_child, args=(str(products), queue))
    child.start()
    created, errors, elapsed, peak_mb = queue.get()
    child.join()
    print(f"import: {ROWS:,} product rows → {created:,} created, {errors} errors")
    print(f"import: {elapsed:.2f} s, {created / elapsed:,.0f} rows/s (goal ≥ 2,000 rows/s)")
    print(f"import: peak memory of the importing process {peak_mb:,.0f} MB (goal < 300 MB)")
