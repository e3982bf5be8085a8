"""Imports at province scale, each in a process of its own so its peak memory is its own:

- 10,000 product rows matched against 100,000 existing products (half the rows update a product, a tenth are
  look-alikes set aside for review, the rest are new): rows/s and peak RSS (goal ≥ 2,000 rows/s, < 300 MB);
- a recognition list of 5,000 rows (producers, products, decisions, certificates) entered as history (goal ≤ 10 s);
- hostile workbooks: one whose last cell is XFD1048576, one that declares 1,048,576 rows and holds 20 (goal: refused
  or read in < 1 s and < 50 MB).
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

ROWS = 10_000
HISTORY_ROWS = 5_000


def _measure(*args: str) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter (bench/measure.py) and read its JSON line."""
    done = subprocess.run(  # noqa: S603  # our own module
        [sys.executable, "-m", "bench.measure", *args], capture_output=True, text=True, check=False,
        cwd=Path(__file__).resolve().parent.parent,
    )  # fmt: skip
    if done.returncode != 0:  # say why: the measurement's own traceback, not only its exit status
        raise SystemExit(f"bench.measure {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _products_workbook(out: Path) -> tuple[Path, dict[str, int]]:
    """Rows for products of the existing producers: updates of existing products (a new description), look-alikes of
    existing names (a word added), and new products."""
    from ocop.core.excel import write_workbook
    from ocop.registry.columns import PRODUCT_COLUMNS
    from ocop.registry.models import Product

    existing = list(
        Product.objects.order_by("pk").values_list(
            "producer__identifier", "name", "commune__name", "product_set__code"
        )[: ROWS // 2 + ROWS // 10]
    )
    rows, plan = [], {"update": 0, "look-alike": 0, "new": 0}
    for i in range(ROWS):
        if i < ROWS // 2:
            ident, name, commune, set_code = existing[i]
            description, plan["update"] = f"Mô tả mới {i}", plan["update"] + 1
        elif i < ROWS // 2 + ROWS // 10:
            ident, name, commune, set_code = existing[i]
            name, description, plan["look-alike"] = f"{name} sạch", "", plan["look-alike"] + 1
        else:
            ident, _name, commune, set_code = existing[i % len(existing)]
            name, description, plan["new"] = f"Sản phẩm mới số {i}", "", plan["new"] + 1
        rows.append(["", "", ident, "", name, set_code, commune, "", "Hà Nội", description, "", "", "", "", ""])
    path = out / "products.xlsx"
    path.write_bytes(write_workbook(title="x", headers=[t for _n, t in PRODUCT_COLUMNS], rows=rows))
    return path, plan


def _history_workbook(out: Path) -> Path:
    """A published list's shape: district-only and pre-2025 addresses, no identifiers, decisions of 2019–2025 with
    some products recognised twice, potential 5-star rows."""
    from bench.data import BASES, SETS
    from ocop.core.excel import write_workbook
    from ocop.places.models import LegacyCommune

    legacy = list(
        LegacyCommune.objects.filter(district__province__code="01")
        .order_by("pk")
        .values_list("name", "district__name")[:400]
    )
    rows = []
    for i in range(HISTORY_ROWS):
        product_no = i % 4_200  # 800 products recognised twice
        year = 2019 + (i * 7) % 6 if i < 4_200 else 2025  # the second recognition comes last
        producer_no = product_no // 3  # three products a producer, each producer at one address
        commune, district = legacy[producer_no % len(legacy)]
        address = district if producer_no % 3 == 0 else f"{commune}, {district}"
        stars = "tiềm năng 5 sao" if i % 97 == 0 else ("4 sao" if i >= 4_200 or i % 2 else "3 sao")
        decision = f"{1000 + year * 10 + i % 8}/QĐ-UBND"
        rows.append([
            i + 1, f"{BASES[product_no % len(BASES)]} số {product_no}", f"HTX Lịch sử {producer_no}", address,
            SETS[product_no % len(SETS)], stars, decision, f"{1 + i % 8:02d}/11/{year}", year, "Thành phố",
        ])  # fmt: skip
    head = ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Nhóm sản phẩm", "Hạng sao", "Số quyết định",
            "Ngày quyết định", "Năm", "Cấp công nhận"]  # fmt: skip
    path = out / "history.xlsx"
    path.write_bytes(write_workbook(title="Danh sách", headers=head, rows=rows))
    return path


def _hostile(out: Path) -> list[tuple[str, Path]]:
    from ocop.core.excel import write_workbook

    plain = write_workbook(
        title="x", headers=["Tên chủ thể", "Xã/Phường"], rows=[[f"HTX {i}", "Ba Vì"] for i in range(19)]
    )

    def variant(name: str, dimension: bytes, extra: bytes) -> Path:
        path = out / name
        with zipfile.ZipFile(io.BytesIO(plain)) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
            for item in src.infolist():
                data = src.read(item.filename)
                if item.filename == "xl/worksheets/sheet1.xml":
                    data = data.replace(b"</sheetData>", extra + b"</sheetData>")
                    data = data.replace(b"<sheetData>", b'<dimension ref="' + dimension + b'"/><sheetData>', 1)
                dst.writestr(item.filename, data)
        return path

    xfd = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return [
        ("a cell at XFD1048576", variant("xfd.xlsx", b"A1:XFD1048576", xfd)),
        ("1,048,576 rows declared, 20 held", variant("declared.xlsx", b"A1:XFD1048576", b"")),
    ]


def run(out: Path) -> None:
    from bench.data import settle
    from bench.search_bench import PRODUCTS
    from bench.search_bench import _generate as generate_products
    from ocop.registry.models import Product

    if Product.objects.count() < PRODUCTS:
        started = time.perf_counter()
        generate_products()
        settle()  # as a database stands after a bulk load
        print(
            f"import: generated {Product.objects.count():,} existing products in {time.perf_counter() - started:.1f} s"
        )
    path, plan = _products_workbook(out)
    print(f"import: {ROWS:,} product rows: {plan['update']:,} updates, {plan['look-alike']:,} look-alikes, "
          f"{plan['new']:,} new, matched against {Product.objects.count():,} products")  # fmt: skip
    result = _measure("import", "products", str(path), "park")
    print(f"import: {result['summary']} (saved: {result['committed']}, the look-alikes parked for review)")
    print(f"import: {result['seconds']:.2f} s, {ROWS / result['seconds']:,.0f} rows/s (goal ≥ 2,000 rows/s)")
    print(f"import: peak memory of the importing process {result['peak_mb']:,.0f} MB (goal < 300 MB)")

    history = _history_workbook(out)
    result = _measure("import", "history", str(history), "park", "choose")
    print(
        f"history: {HISTORY_ROWS:,} rows of a recognition list; the dry run in {result['dry_seconds']:.2f} s, then "
        f"the suggested commune chosen for {result['chosen']} place words, as on the dry-run page"
    )
    print(f"history: {result['summary']} (saved: {result['committed']})")
    print(f"history: saved in {result['seconds']:.2f} s (goal ≤ 10 s), peak memory {result['peak_mb']:,.0f} MB")

    for label, hostile in _hostile(out):
        result = _measure("read", str(hostile))
        size = hostile.stat().st_size
        print(f"hostile workbook ({label}, {size:,} bytes): {result['summary'][:100]}")
        print(f"hostile workbook ({label}): {result['seconds']:.2f} s, the reading process's peak memory "
              f"{result['reader_mb']:.0f} MB (goal < 1 s, < 50 MB)")  # fmt: skip
