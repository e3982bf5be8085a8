"""Communes in Vietnamese order on the dashboard and in the workbook: "Cầu Giấy" before "Chương Mỹ", "Hà Đông"
before "Hoàng Mai", "Tây Hồ" before "Thanh Xuân", "Đống Đa" after the D and "Ô Chợ Dừa" among the O (by code
point Đ and Ô came after every Latin letter)."""

import datetime as dt
import io

from openpyxl import load_workbook

from ocop.accounts.models import Role
from ocop.outlets.tests.conftest import certify
from ocop.reporting import stats, workbook
from ocop.testing import make_producer, make_product, make_user, province

NAMES = ["Thanh Xuân", "Ô Chợ Dừa", "Hoàng Mai", "Chương Mỹ", "Tây Hồ", "Đống Đa", "Hà Đông", "Cầu Giấy"]
ORDER = ["Cầu Giấy", "Chương Mỹ", "Đống Đa", "Hà Đông", "Hoàng Mai", "Ô Chợ Dừa", "Tây Hồ", "Thanh Xuân"]


def test_the_dashboards_communes_and_the_workbooks_rows_are_in_vietnamese_order(db, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 29, 9, tzinfo=dt.UTC))
    coordinator = make_user(Role.PROVINCE_COORDINATOR, username="coordinator")
    for name in NAMES:
        certify(coordinator, make_product(producer=make_producer(commune_name=name)), on=dt.date(2026, 3, 1), stars=3)
    s = stats.Scope(province().pk, None, dt.date(2026, 11, 29))

    rows = stats.by_commune(s)
    assert [r.commune.short_name for r in rows if r.products] == ORDER
    shown = [r.commune.short_name for r in rows]
    assert shown.index("An Khánh") < shown.index("Ba Đình") < shown.index("Bát Tràng") < shown.index("Cầu Giấy")
    assert shown.index("Ô Chợ Dừa") < shown.index("Phú Xuyên") < shown.index("Tây Hồ")

    data = workbook.build(s, dt.date(2026, 1, 1), dt.date(2026, 12, 31), False, None)
    sheet = load_workbook(io.BytesIO(data), read_only=True)["Theo xã phường"]
    units = [r[0] for r in sheet.iter_rows(min_row=7, values_only=True)]  # below the title block and the header
    assert units == ["Phường Cầu Giấy", "Phường Chương Mỹ", "Phường Đống Đa", "Phường Hà Đông", "Phường Hoàng Mai",
                     "Phường Ô Chợ Dừa", "Phường Tây Hồ", "Phường Thanh Xuân"]  # fmt: skip


def test_the_workbooks_units_sort_by_their_own_name_and_the_unrecorded_last():
    units = ["Huyện Thanh Trì", "Quận Đống Đa", "(chưa ghi huyện cũ)", "Thị xã Sơn Tây", "Quận Cầu Giấy",
             "Huyện Chương Mỹ", "Quận Hà Đông", "Quận Hoàng Mai", "Quận Tây Hồ"]  # fmt: skip
    table = workbook._stars_table(((u, 3, False, 1) for u in units), "(chưa ghi huyện cũ)")
    assert [r[0] for r in table] == ["Quận Cầu Giấy", "Huyện Chương Mỹ", "Quận Đống Đa", "Quận Hà Đông",
                                     "Quận Hoàng Mai", "Thị xã Sơn Tây", "Quận Tây Hồ", "Huyện Thanh Trì",
                                     "(chưa ghi huyện cũ)"]  # fmt: skip
