"""What a real published list taught us (a data officer's check of 125 Hà Nội products): producers are matched within
their former district only, one producer written with and without its commune stays one, decisions are a body's
number in a year, an expired certificate is not "replaced", and the groups of Decision 1048 are understood."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from ocop.accounts.models import Role
from ocop.certificates.models import Certificate, Decision
from ocop.registry.imports import run_import
from ocop.registry.models import ImportMode, Producer, Product
from ocop.testing import make_user

from .test_history import HEAD, TODAY


def workbook(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(HEAD)
    for number, row in enumerate(rows, start=1):
        ws.append([number, *row, ""])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


@pytest.fixture
def office(db, time_machine):
    time_machine.move_to(TODAY, tick=False)
    return make_user(Role.PROVINCE_COORDINATOR)


def test_a_district_only_row_never_takes_a_producer_of_the_same_name_elsewhere(office):
    first = [["Rau cải", "HTX Nông nghiệp Đông Xuân", "xã Đông Xuân, huyện Sóc Sơn", "1-01", "3 sao", "11/QĐ-UBND",
              "12/11/2022", 2022, "Thành phố"]]  # fmt: skip
    run_import("history", workbook(first), user=office, commit=True, mode=ImportMode.PARK)
    other = [["Gạo nếp", "HTX Nông nghiệp Đông Xuân", "huyện Quốc Oai", "1-03", "3 sao", "12/QĐ-UBND",
              "12/11/2022", 2022, "Thành phố"]]  # fmt: skip
    report = run_import("history", workbook(other), user=office, commit=True, mode=ImportMode.PARK)
    assert report.summary() == "rows: 1 read, 1 created, 0 updated, 0 unchanged, 0 parked, 0 errors"
    producers = Producer.objects.filter(name="HTX Nông nghiệp Đông Xuân").select_related("commune", "legacy_district")
    assert sorted((p.commune.name if p.commune else "", p.legacy_district.name if p.legacy_district else "")
                  for p in producers) == [("", "Huyện Quốc Oai"), ("Xã Sóc Sơn", "")]  # fmt: skip
    again = run_import("history", workbook(other), user=office, commit=True, mode=ImportMode.PARK)
    assert again.summary() == "rows: 1 read, 0 created, 0 updated, 1 unchanged, 0 parked, 0 errors"


def test_one_producer_written_with_and_without_its_commune_stays_one_and_its_certificates_chain(office):
    rows = [
        ["Nón lá làng Chuông", "HTX Nón lá Chuông", "huyện Thanh Oai", "4-02", "3 sao", "2150/QĐ-UBND", "15/11/2019",
         2019, "Thành phố"],
        ["Nón lá làng Chuông", "HTX Nón lá Chuông", "xã Phương Trung, huyện Thanh Oai", "4-02", "4 sao",
         "1100/QĐ-UBND", "10/11/2022", 2022, "Thành phố"],
        ["Giò chả", "Công ty Cổ phần Thực phẩm Ước Lễ", "xã Tân Ước, huyện Thanh Oai", "1-08", "3 sao",
         "1100/QĐ-UBND", "10/11/2022", 2022, "Thành phố"],
        ["Giò lụa", "Công ty CP Thực phẩm Ước Lễ", "xã Tân Ước, huyện Thanh Oai", "1-08", "4 sao", "1100/QĐ-UBND",
         "10/11/2022", 2022, "Thành phố"],
    ]  # fmt: skip
    report = run_import("history", workbook(rows), user=office, commit=True, mode=ImportMode.PARK)
    assert report.summary() == "rows: 4 read, 4 created, 0 updated, 0 unchanged, 0 parked, 0 errors"
    assert Producer.objects.filter(name__contains="Ước Lễ").count() == 1
    non = Producer.objects.get(name="HTX Nón lá Chuông")
    assert (non.commune.name, non.legacy_district) == ("Xã Thanh Oai", None)  # the later row placed it
    chain = list(Certificate.objects.filter(product__name="Nón lá làng Chuông").order_by("issued_on"))
    # The 2019 certificate ran to 15/11/2022, past the new one's date: the new one replaced it.
    assert [(c.stars, c.status, c.superseded_by_id) for c in chain] == [
        (3, "superseded", chain[1].pk),
        (4, "valid", None),
    ]


def test_decisions_are_a_bodys_number_in_a_year(office):
    rows = [
        ["Chè xanh", "HTX Chè Ba Trại", "xã Ba Trại, huyện Ba Vì", "1-12", "3 sao", "2210/QĐ-UBND", "25/06/2021",
         2021, "Thành phố"],
        ["Trà sen", "HTX Trà Vạn Phúc", "P. Vạn Phúc, Q. Hà Đông", "1-13", "4 sao", "2210/QĐ-UBND", "18/04/2024",
         2024, "Thành phố"],
        ["Miến dong", "HTX Miến Tam Hưng", "xã Tam Hưng, huyện Thanh Oai", "1-06", "3 sao", "5012/QĐ-UBND", "10/10/2023",
         2023, "Huyện"],
        ["Gạo", "HTX Gạo Chương Mỹ", "xã Thủy Xuân Tiên, huyện Chương Mỹ", "1-03", "3 sao", "5012/QĐ-UBND",
         "10/10/2023", 2023, "Huyện"],
    ]  # fmt: skip
    report = run_import("history", workbook(rows), user=office, commit=True, mode=ImportMode.PARK)
    assert report.summary() == "rows: 4 read, 4 created, 0 updated, 0 unchanged, 0 parked, 0 errors"
    assert sorted(Decision.objects.values_list("number", "year", "issuing_body")) == [
        ("2210/QĐ-UBND", 2021, "Ủy ban nhân dân Thành phố Hà Nội"),
        ("2210/QĐ-UBND", 2024, "Ủy ban nhân dân Thành phố Hà Nội"),
        ("5012/QĐ-UBND", 2023, "Ủy ban nhân dân huyện Chương Mỹ"),
        ("5012/QĐ-UBND", 2023, "Ủy ban nhân dân huyện Thanh Oai"),
    ]


def test_an_expired_certificate_stays_expired_and_1048_groups_are_understood(office):
    rows = [
        ["Bưởi Diễn", "HTX Bưởi Phú Diễn", "P. Phú Diễn, Q. Bắc Từ Liêm", "Thực phẩm", "3 sao", "5087/QĐ-UBND",
         "15/11/2019", 2019, "Thành phố"],
        ["Bưởi Diễn", "HTX Bưởi Phú Diễn", "P. Phú Diễn, Q. Bắc Từ Liêm", "Thực phẩm", "4 sao", "2121/QĐ-UBND",
         "20/06/2024", 2024, "Thành phố"],
        ["Cao ích mẫu", "HTX Dược liệu Ba Vì", "xã Ba Trại, huyện Ba Vì", "Thảo dược", "3 sao", "5087/QĐ-UBND",
         "15/11/2019", 2019, "Thành phố"],
        ["Khăn lụa", "HTX Lụa Vạn Phúc", "P. Vạn Phúc, Q. Hà Đông", "Vải và may mặc", "4 sao", "5087/QĐ-UBND",
         "15/11/2019", 2019, "Thành phố"],
        ["Đèn tre", "HTX Mây tre Phú Vinh", "xã Phú Nghĩa, huyện Chương Mỹ", "Lưu niệm - nội thất - trang trí",
         "3 sao", "5087/QĐ-UBND", "15/11/2019", 2019, "Thành phố"],
    ]  # fmt: skip
    report = run_import("history", workbook(rows), user=office, commit=True, mode=ImportMode.PARK)
    assert report.summary() == "rows: 5 read, 5 created, 0 updated, 0 unchanged, 0 parked, 0 errors"
    old = Certificate.objects.get(product__name="Bưởi Diễn", stars=3)
    assert (old.status, old.superseded_by_id, old.valid_until) == ("valid", None, dt.date(2022, 11, 15))
    sets = dict(Product.objects.values_list("name", "product_set__code"))
    assert (sets["Khăn lụa"], sets["Đèn tre"], sets["Cao ích mẫu"]) == ("4-03", "4-02", None)


def test_a_heading_row_is_one_error_and_look_alikes_are_judged_on_what_tells_producers_apart(office):
    rows = [
        ["Chè búp", "HTX Nông nghiệp Tản Hồng", "xã Tản Hồng, huyện Ba Vì", "1-12", "3 sao", "77/QĐ-UBND",
         "12/11/2022", 2022, "Thành phố"],
        ["Mật ong", "HTX Nông nghiệp Minh Hồng", "xã Tản Hồng, huyện Ba Vì", "1-04", "3 sao", "77/QĐ-UBND",
         "12/11/2022", 2022, "Thành phố"],
    ]  # fmt: skip
    data = workbook([["", "", "", "", "", "", "", "", ""], *rows])
    wb_rows = run_import("history", data, user=office, commit=True, mode=ImportMode.PARK)
    assert [(e.row, e.message) for e in wb_rows.errors] == []  # an empty row is no row at all
    total = ["", "", "", "", "", "", "", 125, ""]  # "Tổng cộng: 125 sản phẩm", the count under "Năm"
    report = run_import("history", workbook([total, *rows]), user=office, commit=False, mode=ImportMode.PARK)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "Tên sản phẩm", "Dòng không ghi tên sản phẩm và chủ thể: có phải dòng tiêu đề mục hay dòng tổng cộng?")
    ]
    assert Producer.objects.filter(name__startswith="HTX Nông nghiệp").count() == 2  # not look-alikes
