"""The dashboard's figures and the periodic workbook, with exact values, one query a figure, and bad periods refused."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from ocop.accounts.models import Role
from ocop.registry.models import ProductGroup
from ocop.reporting import jobs, stats, workbook
from ocop.reporting.models import ReportRun
from ocop.testing import commune, make_user, province


def _scope(**kw):
    return stats.Scope(province().pk, kw.get("commune"), dt.date(2026, 11, 29))


def _scope_on(day):
    return stats.Scope(province().pk, None, day)


def test_the_dashboard_figures(scene, django_assert_num_queries):
    s = _scope()
    group = ProductGroup.objects.get(sets__code="1-12").name
    # Today's figures read the day's kept rows (certificates.standing), each after one query finds them current.
    with django_assert_num_queries(2):
        assert stats.by_stars(s) == {3: 1, 4: 1, "potential": 0, 5: 1}
    with django_assert_num_queries(3):  # the day's products by group id, then the groups' names
        assert stats.by_group(s) == [(group, 3)]
    with django_assert_num_queries(2):
        rows = [(r.kind, r.producers, r.women_led, r.ethnic_minority) for r in stats.producers_by_kind(s)]
    assert rows == [("enterprise", 0, 0, 0), ("cooperative", 1, 1, 0), ("cooperative_group", 0, 0, 0),
                    ("household_business", 1, 0, 1), ("other", 0, 0, 0)]  # fmt: skip
    with django_assert_num_queries(2):
        assert stats.expiring(s) == 1  # the tea ends on 20/12/2026
    with django_assert_num_queries(2):
        assert [(r.kind, r.outlets, r.mean_share) for r in stats.outlets(s)] == [
            ("sales_point", 1, 50.0), ("design_centre", 0, None), ("other", 0, None)]  # fmt: skip
    with django_assert_num_queries(1):
        assert stats.sales_by_month(s) == [(dt.date(2026, 9, 1), 12_500_000, 10), (dt.date(2026, 10, 1), 8_000_000, 10)]
    # The outlets' monthly sums the sales service kept; a past day's months stop at its own.
    assert stats.sales_by_month(_scope_on(dt.date(2026, 9, 30))) == [(dt.date(2026, 9, 1), 12_500_000, 10)]
    with django_assert_num_queries(1):
        assert stats.open_findings(s) == 1
    assert stats.inspections_done(s, 2026) == 1
    ba_vi = _scope(commune=commune("Ba Vì").pk)
    assert (stats.by_stars(ba_vi), stats.open_findings(ba_vi), stats.sales_by_month(ba_vi)) == (
        {3: 1, 4: 0, "potential": 0, 5: 0},
        1,
        [],
    )
    with django_assert_num_queries(3):
        counts = {r.commune.short_name: r.products for r in stats.by_commune(s) if r.products}
    assert counts == {"Bát Tràng": 2, "Ba Vì": 1}


TABLE_ROW = 6  # below the title block: issuing body, report name, period, date made, a blank row


def _sheets(data: bytes) -> dict[str, list[tuple]]:
    """Each sheet's table, from its header row down."""
    book = load_workbook(io.BytesIO(data), read_only=True)
    return {ws.title: [tuple(_day(v) for v in r) for r in ws.iter_rows(min_row=TABLE_ROW, values_only=True)]
            for ws in book.worksheets}  # fmt: skip


def _day(value):
    return value.date() if isinstance(value, dt.datetime) else value


def test_the_outlets_mean_share_is_over_the_outlets_with_a_shelf(scene):
    """The mean OCOP share of a kind is the mean of its outlets' shares, among those with anything on the shelf."""
    from ocop.outlets import services as outlets
    from ocop.outlets import stock
    from ocop.outlets.tests.conftest import pass_assessment, register

    second = register(scene.commerce, name="Điểm OCOP Bát Tràng 2")
    pass_assessment(scene.commerce, second)
    outlets.recognise(by=scene.commerce, outlet=second, number="6/QĐ-SCT", signed_on=dt.date(2026, 3, 1))
    for product in (scene.certs["binh"].product, scene.certs["am"].product):
        stock.add_stock(by=scene.commerce, outlet=second, product=product, since=dt.date(2026, 3, 1))
    stock.add_stock(by=scene.commerce, outlet=second, label="Gạo quê", since=dt.date(2026, 3, 1))
    gone = stock.add_stock(by=scene.commerce, outlet=second, label="Bánh tẻ", since=dt.date(2026, 3, 1))
    stock.remove_stock(by=scene.commerce, item=gone)  # off the shelf today: not counted
    empty = register(scene.commerce, name="Điểm OCOP Bát Tràng 3")
    pass_assessment(scene.commerce, empty)
    outlets.recognise(by=scene.commerce, outlet=empty, number="7/QĐ-SCT", signed_on=dt.date(2026, 3, 1))
    rows = [(r.kind, r.outlets, r.mean_share) for r in stats.outlets(_scope())]
    # 1 of 2 lines and 2 of 3 lines: (50 + 66.67) / 2; the third outlet's empty shelf has no share to average.
    assert rows == [("sales_point", 3, 58.3), ("design_centre", 0, None), ("other", 0, None)]
    # The workbook's outlets sheet counts each shelf by the same rule.
    shelves = stats.with_shelf(stats.recognised_outlets(_scope()), _scope().today).order_by("name")
    assert [(o.name, o.lines, o.ocop_lines) for o in shelves] == [
        ("Điểm OCOP Bát Tràng", 2, 1), ("Điểm OCOP Bát Tràng 2", 3, 2), ("Điểm OCOP Bát Tràng 3", 0, 0)]  # fmt: skip


def test_the_yearly_workbook(scene, django_assert_num_queries):
    done, s = [], _scope()
    # One a sheet, two for the summary (the day's products, counted once for the stars and groups sheets too, and the
    # registered records), none for the stars sheet and one for the groups' names, two for the issuing body (the
    # province, its settings); and one each of the four that read the day's products, to find its kept rows current;
    # the registered records of today are two counts.
    with django_assert_num_queries(17):
        data = workbook.build(s, dt.date(2026, 1, 1), dt.date(2026, 12, 31), False, lambda d, t: done.append((d, t)))
    assert done == [(n, 10) for n in range(1, 11)]
    book = load_workbook(io.BytesIO(data), read_only=True)
    made = f"{timezone.localdate():%d/%m/%Y}"
    for ws in book.worksheets:  # every sheet opens with the same title block
        assert [r[0] for r in ws.iter_rows(max_row=TABLE_ROW - 1, max_col=1, values_only=True)] == [
            "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI", "Báo cáo kết quả thực hiện Chương trình OCOP",
            "Kỳ báo cáo: 01/01/2026 – 31/12/2026", f"Ngày lập: {made}", None,
        ]  # fmt: skip
    sheets = _sheets(data)
    assert list(sheets) == ["Tổng hợp", "Theo hạng sao", "Theo nhóm", "Theo xã phường", "Chủ thể", "Cấp mới",
                            "Thu hồi", "Điểm bán và trung tâm", "Xúc tiến thương mại", "Kiểm tra, giám sát"]  # fmt: skip
    assert sheets["Theo hạng sao"] == [
        ("Hạng sao", "Sản phẩm"), ("3★", 1), ("4★", 1), ("tiềm năng 5★", 0), ("5★", 1), ("Tổng", 3)
    ]  # fmt: skip
    assert sheets["Theo xã phường"][1:] == [("Xã Ba Vì", 1, 0, 0, 0, 1), ("Xã Bát Tràng", 0, 1, 0, 1, 2)]
    assert [r[0] for r in sheets["Cấp mới"][1:]] == [scene.certs["am"].number, scene.certs["xanh"].number]
    assert sheets["Thu hồi"][1:] == [(scene.certs["xanh"].number, "Chè xanh", "Hộ Chè Ba Vì", 3,
                                      dt.date(2026, 5, 4), "88/QĐ-UBND", "Ngừng sản xuất")]  # fmt: skip
    assert sheets["Điểm bán và trung tâm"][1:] == [
        (scene.outlet.code, "Điểm OCOP Bát Tràng", "Điểm giới thiệu và bán sản phẩm OCOP", "Xã Bát Tràng",
         dt.date(2026, 3, 1), 2, 1)]  # fmt: skip
    assert sheets["Xúc tiến thương mại"][1:] == [("Hội chợ OCOP Hà Nội 2026", "hội chợ", dt.date(2026, 5, 10),
                                                  dt.date(2026, 5, 14), 1, 30_000_000, 2, 0, 500)]  # fmt: skip
    assert sheets["Kiểm tra, giám sát"][1:] == [(dt.date(2026, 6, 1), "Hộ Chè Ba Vì", None, 1, 0)]


def test_periods_before_july_2025_add_the_former_districts(scene, django_assert_num_queries):
    s = _scope()
    with django_assert_num_queries(20):  # those of the yearly workbook, and the former districts' two (and check)
        data = workbook.build(s, dt.date(2025, 1, 1), dt.date(2025, 6, 30), False, None)
    sheets = _sheets(data)
    assert "Theo huyện cũ" in sheets
    assert sheets["Theo huyện cũ"][1:] == [("Huyện Ba Vì", 1, 0, 0, 0, 1), ("(chưa ghi huyện cũ)", 0, 1, 0, 1, 2)]


def test_a_period_that_ends_before_it_starts_is_refused_and_nothing_is_written(scene):
    with pytest.raises(ValidationError) as exc:
        jobs.start_report(by=scene.coordinator, province=province(), starts_on=dt.date(2026, 12, 31),
                          ends_on=dt.date(2026, 1, 1))  # fmt: skip
    assert exc.value.message_dict == {"ends_on": ["Kỳ báo cáo không thể kết thúc trước khi bắt đầu."]}
    with pytest.raises(ValidationError) as exc:
        jobs.start_report(by=scene.coordinator, province=province(), starts_on=None, ends_on=None,
                          commune=commune("Lê Chân", "31"))  # fmt: skip
    assert exc.value.message_dict == {
        "starts_on": ["Hãy nhập ngày đầu kỳ báo cáo."],
        "ends_on": ["Hãy nhập ngày cuối kỳ báo cáo."],
        "commune": ["Xã/phường này thuộc tỉnh khác."],
    }
    assert ReportRun.objects.count() == 0


def test_the_workbook_is_made_on_the_task_worker(reference_data, scene):
    run = jobs.start_report(by=scene.coordinator, province=province(), starts_on=dt.date(2026, 1, 1),
                            ends_on=dt.date(2026, 12, 31))  # fmt: skip
    assert (run.state, run.done) == ("queued", 0)
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)
    run.refresh_from_db()
    assert (run.state, run.done, run.total, run.percent) == ("done", 10, 10, 100)
    assert run.file.name.endswith("bao-cao-ocop-20260101-20261231.xlsx")
    assert _sheets(run.file.read())["Theo hạng sao"][-1] == ("Tổng", 3)


def test_the_dashboard_reads_a_snapshot_recounted_after_each_change(scene, django_capture_on_commit_callbacks,
                                                                    django_assert_num_queries):  # fmt: skip
    from ocop.outlets.tests.conftest import certify
    from ocop.reporting import snapshots
    from ocop.reporting.models import Snapshot
    from ocop.testing import make_producer, make_product

    s = _scope()
    # One for the day's products (stars, groups, communes and expiring alike) and one for their groups' names, one
    # each for the other figures, one for the communes of the map, one for the plan; and one for each of the three
    # that read the day's products, to find its kept rows current (certificates.standing); today's registered
    # records are two counts.
    with django_assert_num_queries(14):
        snapshots.compute(s)
    first = snapshots.figures(s)
    assert (first["total"], first["stars"], first["expiring"]) == (3, [[3, 1], [4, 1], ["potential", 0], [5, 1]], 1)
    with django_assert_num_queries(2):  # the generation, the snapshot
        assert snapshots.figures(s) == first
    with django_capture_on_commit_callbacks(execute=True):
        product = make_product(producer=make_producer(name="HTX Mới"), name="Miến dong")
        certify(scene.coordinator, product, on=dt.date(2026, 11, 20), stars=4)  # status_changed: a new generation
    assert Snapshot.objects.get().generation < snapshots.generation()
    assert snapshots.refresh() == 1  # the background recount
    with django_assert_num_queries(2):
        assert snapshots.figures(s)["stars"] == [[3, 1], [4, 2], ["potential", 0], [5, 1]]
    assert snapshots.refresh() == 0
    with django_capture_on_commit_callbacks(execute=True):
        from ocop.outlets.sales import Entry, record_sales

        record_sales(by=scene.commerce, outlet=scene.outlet, month=dt.date(2026, 11, 1),
                     entries=[Entry(scene.certs["binh"].product_id, "5", "1.000.000")])  # fmt: skip
    assert snapshots.figures(s)["sales"][-1] == ["11/2026", 1_000_000, 5]
    # A certified product moved to a set of another group (the product form's save): the groups follow at once.
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from ocop.registry.models import Product, ProductSet

    binh = Product.objects.get(pk=scene.certs["binh"].product_id)
    old_group = binh.group.name
    other = ProductSet.objects.exclude(group_id=binh.group_id).order_by("group__position").first()
    before = snapshots.generation()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        binh.product_set = other
        binh.save()
    assert snapshots.generation() == before + 1
    # The four products were all food ("Miến dong" too); the vase now counts in its new group.
    assert snapshots.figures(s)["groups"] == [[old_group, 3], [other.group.name, 1]]
    # A burst of changes shares one queued recount: each queued one while none was waiting.
    queued = DBTaskResult.objects.filter(task_path=snapshots.refresh_snapshots.module_path, status="READY")
    assert queued.count() == 1


def test_the_league_table_and_inspections_done_count_from_the_records(scene):
    from ocop.planning import services as planning
    from ocop.planning.indicators import INDICATORS, Scope, count
    from ocop.reporting import snapshots

    plan = planning.create_plan(by=scene.coordinator, province=province(), year=2026, title="Kế hoạch OCOP 2026",
                                number="12/KH-UBND", signed_on=dt.date(2026, 1, 20))  # fmt: skip
    planning.set_target(
        by=scene.coordinator, plan=plan, indicator="rated_3_stars", value=4, commune=commune("Bát Tràng")
    )
    planning.set_target(
        by=scene.coordinator, plan=plan, indicator="inspections_done", value=2, commune=commune("Ba Vì")
    )
    assert count(INDICATORS["inspections_done"], Scope(province().pk, 2026)) == 1
    assert snapshots.compute(_scope())["league"] == [
        ["Xã Ba Vì", 50, [["inspections_done", 2, 1]]],
        ["Xã Bát Tràng", 25, [["rated_3_stars", 4, 1]]],  # the 5-star item of February; the 4-star one is 2025's
    ]


def test_a_potential_five_star_recognition_is_counted_apart(db, time_machine):
    from ocop.certificates.tests.test_history import TODAY, published_list
    from ocop.registry.imports import run_import
    from ocop.registry.models import ImportMode

    time_machine.move_to(TODAY, tick=False)
    coordinator = make_user(Role.PROVINCE_COORDINATOR)
    run_import("history", published_list(), user=coordinator, commit=True, mode=ImportMode.PARK)
    # Today only the 2024 "tiềm năng 5 sao" runs; the others have expired or been replaced.
    assert stats.by_stars(stats.Scope(province().pk, None, TODAY.date())) == {3: 0, 4: 0, "potential": 1, 5: 0}
