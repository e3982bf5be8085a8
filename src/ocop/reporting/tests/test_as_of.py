"""Reports as of a date: a round of 26 products recognised in 2019, entered from the province's list, then years of
later certificates, revocations, suspensions and outlets. The December 2019 workbook, the 2019 dashboard and the
2019 plan still read what was true at the end of 2019: 11 × 3★, 13 × 4★ and 2 potential 5★."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from ocop.accounts.models import Role
from ocop.certificates import services as certificates
from ocop.certificates.models import Certificate
from ocop.conftest import client_for
from ocop.outlets import services as outlets
from ocop.outlets import stock
from ocop.outlets.checklists import load_checklists
from ocop.outlets.tests.conftest import certify, pass_assessment, register
from ocop.planning import services as planning
from ocop.planning.indicators import plan_rows
from ocop.registry.imports import run_import
from ocop.registry.models import ImportMode, Product
from ocop.reporting import snapshots, stats, workbook
from ocop.reporting.models import ReportRun, Snapshot
from ocop.testing import commune, make_producer, make_product, make_user, province

HEAD = ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Nhóm sản phẩm", "Hạng sao", "Số quyết định",
        "Ngày quyết định", "Năm", "Cấp công nhận", "Ghi chú"]  # fmt: skip
ADDRESS = "xã Ba Trại, huyện Ba Vì"
STARS_2019 = ["3 sao"] * 11 + ["4 sao"] * 13 + ["tiềm năng 5 sao"] * 2
END_2019 = dt.date(2019, 12, 31)


def _at(time_machine, day: dt.date) -> None:
    time_machine.move_to(dt.datetime(day.year, day.month, day.day, 2, tzinfo=dt.UTC), tick=False)


def _round_of_2019() -> io.BytesIO:
    """The province's published list: two products of 2018 (one re-recognised in 2019's round) and the 26 products
    of the 2019 round (Decision 4321/QĐ-UBND of 20/11/2019)."""
    wb = Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH SẢN PHẨM OCOP ĐƯỢC CÔNG NHẬN NĂM 2018–2019"])
    ws.append(HEAD)
    ws.append([1, "Sản phẩm 1", "HTX Số 1", ADDRESS, "1-12", "3 sao", "1001/QĐ-UBND", "15/10/2018", 2018,
               "Thành phố", ""])  # fmt: skip
    ws.append([2, "Nem chua Gia Lâm", "HTX Nem Gia Lâm", ADDRESS, "1-12", "3 sao", "1001/QĐ-UBND", "15/10/2018",
               2018, "Thành phố", ""])  # fmt: skip
    for n, stars in enumerate(STARS_2019, start=1):
        ws.append([n + 2, f"Sản phẩm {n}", f"HTX Số {n}", ADDRESS, "1-12", stars, "4321/QĐ-UBND", "20/11/2019", 2019,
                   "Thành phố", ""])  # fmt: skip
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def _product(n: int) -> Product:
    return Product.objects.get(name=f"Sản phẩm {n}")


def _latest(product: Product) -> Certificate:
    return product.certificates.order_by("-issued_on", "-pk").first()


@pytest.fixture
def years(db, time_machine):
    """2019's round, then what happened to it until November 2026."""
    load_checklists()
    coordinator = make_user(Role.PROVINCE_COORDINATOR, username="coordinator")
    commerce = make_user(Role.COMMERCE_OFFICER, username="commerce")

    _at(time_machine, dt.date(2020, 1, 6))  # the office enters the list early in 2020
    report = run_import("history", _round_of_2019(), user=coordinator, commit=True, mode=ImportMode.PARK)
    assert report.summary() == "rows: 28 read, 28 created, 0 updated, 0 unchanged, 0 parked, 0 errors"
    nem = Certificate.objects.get(product__name="Nem chua Gia Lâm")
    certificates.revoke(by=coordinator, certificate=nem, decision_number="55/QĐ-UBND", revoked_on=dt.date(2019, 9, 1),
                        reason="Không duy trì sản xuất")  # fmt: skip

    _at(time_machine, dt.date(2021, 3, 1))  # suspended and lifted
    certificates.suspend(by=coordinator, certificate=_latest(_product(2)), reason="Kiểm tra nhãn")
    _at(time_machine, dt.date(2021, 4, 1))
    certificates.lift(by=coordinator, certificate=_latest(_product(2)))
    _at(time_machine, dt.date(2021, 6, 1))  # suspended, never lifted (re-recognised in 2023)
    certificates.suspend(by=coordinator, certificate=_latest(_product(12)), reason="Vi phạm an toàn thực phẩm")
    _at(time_machine, dt.date(2021, 7, 1))
    certificates.revoke(by=coordinator, certificate=_latest(_product(13)), decision_number="12/QĐ-UBND",
                        revoked_on=dt.date(2021, 7, 1), reason="Ngừng sản xuất")  # fmt: skip

    _at(time_machine, dt.date(2023, 12, 22))  # re-recognitions supersede 2019's certificates
    for n, stars in ((3, 3), (4, 3), (12, 4), (14, 4)):
        certify(coordinator, _product(n), on=dt.date(2023, 12, 20), stars=stars)
    _at(time_machine, dt.date(2024, 5, 3))  # an upgrade from 3 to 4 stars
    certify(coordinator, _product(5), on=dt.date(2024, 5, 1), stars=4)
    _at(time_machine, dt.date(2025, 10, 2))  # a potential 5★ recognised 5★ by the ministry
    certify(coordinator, _product(25), on=dt.date(2025, 10, 1), stars=5)
    _at(time_machine, dt.date(2025, 12, 1))
    certificates.revoke(by=coordinator, certificate=_latest(_product(4)), decision_number="301/QĐ-UBND",
                        revoked_on=dt.date(2025, 12, 1), reason="Vi phạm")  # fmt: skip
    _at(time_machine, dt.date(2026, 2, 1))
    certificates.suspend(by=coordinator, certificate=_latest(_product(3)), reason="Kiểm tra")
    fresh = make_product(producer=make_producer(name="HTX Mới 2026"), name="Miến dong")
    certify(coordinator, fresh, on=dt.date(2026, 1, 20), stars=3)

    _at(time_machine, dt.date(2026, 3, 2))  # outlets recognised in 2026
    for name in ("Điểm OCOP Bát Tràng", "Điểm OCOP Gia Lâm"):
        outlet = register(commerce, name=name)
        pass_assessment(commerce, outlet)
        outlets.recognise(by=commerce, outlet=outlet, number=f"{name[-4:]}/QĐ-SCT", signed_on=dt.date(2026, 3, 1))
        stock.add_stock(by=commerce, outlet=outlet, product=_product(14), since=dt.date(2026, 3, 1))

    _at(time_machine, dt.date(2026, 11, 30))
    plan = planning.create_plan(by=coordinator, province=province(), year=2019, title="Kế hoạch OCOP 2019",
                                number="40/KH-UBND", signed_on=dt.date(2019, 2, 20))  # fmt: skip
    return coordinator, plan


TABLE_ROW = 6  # below the title block: issuing body, report name, period, date made, a blank row


def _sheets(data: bytes) -> dict[str, list[tuple]]:
    """Each sheet's table, from its header row down."""
    book = load_workbook(io.BytesIO(data), read_only=True)
    return {ws.title: [tuple(_day(v) for v in r) for r in ws.iter_rows(min_row=TABLE_ROW, values_only=True)]
            for ws in book.worksheets}  # fmt: skip


def _day(value):
    return value.date() if isinstance(value, dt.datetime) else value


def test_the_december_2019_workbook_reads_what_was_true_then(years):
    scope = stats.Scope(province().pk, None, workbook.as_of(END_2019))
    sheets = _sheets(workbook.build(scope, dt.date(2019, 1, 1), END_2019, False, None))
    assert sheets["Theo hạng sao"] == [
        ("Hạng sao", "Sản phẩm"), ("3★", 11), ("4★", 13), ("tiềm năng 5★", 2), ("5★", 0), ("Tổng", 26)
    ]  # fmt: skip
    assert sheets["Tổng hợp"] == [
        ("Chỉ tiêu", "Giá trị"), ("Sản phẩm OCOP tại ngày 31/12/2019", 26), ("trong đó 3★", 11), ("trong đó 4★", 13),
        ("trong đó tiềm năng 5★", 2), ("trong đó 5★", 0),
        ("Chủ thể đăng ký đến ngày 31/12/2019", 27), ("Sản phẩm đăng ký đến ngày 31/12/2019", 27),
    ]  # fmt: skip
    assert sheets["Theo xã phường"][1:] == [("Xã Suối Hai", 11, 13, 2, 0, 26)]
    assert sheets["Theo huyện cũ"][1:] == [("Huyện Ba Vì", 11, 13, 2, 0, 26)]
    assert sheets["Chủ thể"][-1] == ("Tổng", 26, 0, 0)
    issued = sheets["Cấp mới"][1:]
    assert (len(issued), issued[0][4:], issued[-1][4:]) == (
        26, (3, dt.date(2019, 11, 20), dt.date(2022, 11, 20)), ("tiềm năng 5★", dt.date(2019, 11, 20),
                                                               dt.date(2022, 11, 20)))  # fmt: skip
    assert sheets["Thu hồi"][1:] == [("LS-01-2018-00002", "Nem chua Gia Lâm", "HTX Nem Gia Lâm", 3,
                                      dt.date(2019, 9, 1), "55/QĐ-UBND", "Không duy trì sản xuất")]  # fmt: skip
    assert sheets["Điểm bán và trung tâm"][1:] == []  # recognised in 2026
    # Today's workbook sees what happened since.
    today = _sheets(workbook.build(stats.Scope(province().pk, None, dt.date(2026, 11, 30)), dt.date(2026, 1, 1),
                                   dt.date(2026, 12, 31), False, None))  # fmt: skip
    assert today["Theo hạng sao"][1:] == [("3★", 1), ("4★", 3), ("tiềm năng 5★", 0), ("5★", 1), ("Tổng", 5)]
    assert [r[4:] for r in today["Điểm bán và trung tâm"][1:]] == [(dt.date(2026, 3, 1), 1, 1)] * 2


def test_the_2019_dashboard_and_plan_agree_with_the_workbook(years, django_assert_num_queries):
    coordinator, plan = years
    s = stats.Scope(province().pk, None, END_2019)
    # One for the day's products (stars, groups, communes and expiring alike) and one for their groups' names, one
    # each for the other figures, one for the communes of the map, two for the plan and its league.
    with django_assert_num_queries(11):
        data = snapshots.compute(s)
    assert (data["stars"], data["total"], data["registered"]) == (
        [[3, 11], [4, 13], ["potential", 2], [5, 0]], 26, [27, 27]
    )  # fmt: skip
    assert [n for _kind, n, _share in data["outlets"]] == [0, 0, 0]
    assert (data["expiring"], data["plan"]) == (0, "40/KH-UBND")  # the 2019 round ends in November 2022
    done = {row.indicator.code: row.done for row in plan_rows(plan)}
    assert (done["rated_3_stars"], done["potential_5_stars"], done["recognised_5_stars"]) == (26, 2, 0)
    assert (done["rerecognitions_done"], done["sales_points"]) == (1, 0)  # Sản phẩm 1, from 2018 to 4★

    client = client_for(coordinator)
    page = client.get(reverse("backoffice:statistics"), {"nam": "2019"}).content.decode()
    assert 'data-count="ocop-products">26<' in page
    for level, n in (("3", 11), ("4", 13), ("potential", 2), ("5", 0)):
        assert f'data-stars="{level}">{n}<' in page
    assert "31/12/2019" in page
    # The past year is kept as a snapshot, read from one row on the next load.
    assert Snapshot.objects.filter(key=f"{province().pk}:-:2019-12-31").count() == 1
    # session, user, scope, generation, snapshot, province, the menu's work, and the central level's row and whether
    # the reader may see the whole country (the national dashboard's link)
    with django_assert_num_queries(9):
        client.get(reverse("backoffice:statistics"), {"nam": "2019"})
    this_year = client.get(reverse("backoffice:statistics")).content.decode()
    assert 'data-count="ocop-products">5<' in this_year
    progress = client.get(reverse("backoffice:plan_detail", args=[plan.pk])).content.decode()
    assert "Số liệu tính đến hết ngày 31/12/2019." in progress
    records = reverse("backoffice:indicator_records", args=[plan.pk, "potential_5_stars"])
    assert f'<a href="{records}" class="done">2</a>' in progress
    listed = client.get(records).content.decode()
    assert (listed.count("<td>tiềm năng 5★</td>"), "Số liệu tính đến hết ngày 31/12/2019." in listed) == (2, True)


def test_a_commune_reads_its_own_past(years):
    suoi_hai = commune("Suối Hai")
    s = stats.Scope(province().pk, suoi_hai.pk, END_2019)
    assert stats.by_stars(s) == {3: 11, 4: 13, "potential": 2, 5: 0}
    assert stats.by_stars(stats.Scope(province().pk, commune("Bát Tràng").pk, END_2019)) == {
        3: 0, 4: 0, "potential": 0, 5: 0}  # fmt: skip


def test_a_past_year_snapshot_is_kept_and_recounted_when_the_records_change(years, time_machine):
    past = stats.Scope(province().pk, None, END_2019)
    today = stats.Scope(province().pk, None, dt.date(2026, 11, 30))
    snapshots.figures(past)
    snapshots.figures(today)
    time_machine.move_to(dt.datetime(2026, 12, 3, 2, tzinfo=dt.UTC), tick=False)
    assert snapshots.refresh() == 0
    assert list(Snapshot.objects.values_list("key", flat=True)) == [f"{province().pk}:-:2019-12-31"]
    # A decision of 2019 entered late moves 2019's figures: the snapshot is recounted when next opened.
    coordinator, _plan = years
    late = make_product(producer=make_producer(name="HTX Muộn"), name="Rượu ngô")
    decision = certificates.draft_decision(by=coordinator, province=province(), historical=True)
    certificates.add_item(by=coordinator, decision=decision, product=late, stars=3)
    certificates.issue_decision(by=coordinator, decision=decision, number="4400/QĐ-UBND",
                                signed_on=dt.date(2019, 12, 2))  # fmt: skip
    snapshots.bump()  # what the status_changed handler does after the commit
    assert snapshots.figures(past)["stars"] == [[3, 12], [4, 13], ["potential", 2], [5, 0]]


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("1999", "Năm: chọn một năm từ 2018 đến 2026 (“1999” không phải là năm hợp lệ)."),
        ("2027", "Năm: chọn một năm từ 2018 đến 2026 (“2027” không phải là năm hợp lệ)."),
        ("năm", "Năm: chọn một năm từ 2018 đến 2026 (“năm” không phải là năm hợp lệ)."),
    ],
)
def test_a_dashboard_year_out_of_range_is_refused(years, year, message):
    coordinator, _plan = years
    response = client_for(coordinator).get(reverse("backoffice:statistics"), {"nam": year})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Snapshot.objects.count() == 0


def test_a_period_that_ends_before_it_starts_is_refused_naming_the_field(years):
    coordinator, _plan = years
    response = client_for(coordinator).post(reverse("backoffice:periodic_report_start"),
                                            {"starts_on": "2019-12-31", "ends_on": "2019-01-01"})  # fmt: skip
    assert response.status_code == 400
    assert "Đến ngày: Kỳ báo cáo không thể kết thúc trước khi bắt đầu." in response.content.decode()
    assert ReportRun.objects.count() == 0
