"""The national dashboard: every province counted without the province filter (the ministry's 5-star certificates
are filed under their product's province), kept as a snapshot keyed by the central level's row, shown to the
ministry's offices and administrators and refused to a province's coordinator and to an outsider."""

import datetime as dt

from ocop.accounts.models import Role
from ocop.certificates import services as certificates
from ocop.certificates.enums import IssuingLevel
from ocop.conftest import client_for
from ocop.evaluation.testing import council_result
from ocop.places.models import Commune
from ocop.places.queries import central_level
from ocop.registry.enums import ProducerKind
from ocop.reporting import snapshots, stats
from ocop.reporting.models import Snapshot
from ocop.testing import make_producer, make_product, make_user, ministry_user, province, signing_keys

DAY = dt.date(2026, 11, 29)
URL = "/bo/statistics/"


def _certify(coordinator, product, *, code, on, stars):
    """A certificate of another province's product: its council's 4 stars, or the ministry's 5."""
    signing_keys(code, "TW")
    by = ministry_user() if stars == 5 else coordinator
    body, level = (central_level(), IssuingLevel.MINISTRY) if stars == 5 else (province(code), IssuingLevel.PROVINCE)
    decision = certificates.draft_decision(by=by, province=body, level=level)
    council_result(product, stars, central=stars == 5)
    certificates.add_item(by=by, decision=decision, product=product, stars=stars)
    (cert,) = certificates.issue_decision(by=by, decision=decision, number=f"{decision.pk}/QĐ-HCM", signed_on=on)
    return cert


def _second_province(scene):
    """Hồ Chí Minh: one producer with three products, one 4-star by the province, one 5-star by the ministry, one
    without a certificate."""
    coordinator = make_user(Role.PROVINCE_COORDINATOR, username="hcm", province_code="79")
    place = Commune.objects.filter(province__code="79").order_by("code").first()
    producer = make_producer(name="Doanh nghiệp Nước mắm Cần Giờ", kind=ProducerKind.ENTERPRISE, commune=place)
    sauce = make_product(producer=producer, name="Nước mắm Cần Giờ")
    salt = make_product(producer=producer, name="Muối Cần Giờ")
    make_product(producer=producer, name="Tôm khô Cần Giờ")
    _certify(coordinator, sauce, code="79", on=dt.date(2026, 4, 2), stars=4)
    _certify(coordinator, salt, code="79", on=dt.date(2026, 6, 15), stars=5)
    return coordinator


def _count(response, name):
    return int(response.content.decode().split(f'data-count="{name}">')[1].split("<")[0].replace(".", ""))


def test_the_national_figures_are_the_provinces_summed(scene):
    _second_province(scene)
    central = central_level()
    nation = snapshots.national(central.pk, DAY)
    hanoi = snapshots.compute(stats.Scope(province().pk, None, DAY))
    hcm = snapshots.compute(stats.Scope(province("79").pk, None, DAY))
    data = snapshots.compute(nation)
    assert (hanoi["total"], hcm["total"], data["total"]) == (3, 2, 5)
    assert data["stars"] == [[3, 1], [4, 2], ["potential", 0], [5, 2]]
    assert (hanoi["registered"], hcm["registered"], data["registered"]) == ([2, 4], [1, 3], [3, 7])
    assert data["producers"][:2] == [["enterprise", 1, 0, 0], ["cooperative", 1, 1, 0]]
    assert data["expiring"] == 1
    assert data["outlets"][0] == ["sales_point", 1, 50.0]
    assert data["sales"] == [["09/2026", 12_500_000, 10], ["10/2026", 8_000_000, 10]]
    assert (data["open_findings"], data["inspections"]) == (1, 1)
    assert (data["communes"], data["league"], data["charts"]["vi"]["map"]) == ([], [], "")
    rows = {code: n for code, _name, n in data["provinces"]}
    assert len(rows) == 34 and central.code not in rows
    assert {code: n for code, n in rows.items() if n} == {"01": 3, "79": 2}
    assert sum(rows.values()) == data["total"]
    # The central level's row keys the national snapshot, recounted nationally by the background recount too.
    assert snapshots.figures(nation)["total"] == 5
    snapshots.bump()
    assert snapshots.refresh(DAY) == 1
    assert Snapshot.objects.get(key=f"{central.pk}:-:{DAY.isoformat()}").data["total"] == 5


def test_the_ministry_and_administrators_see_the_national_dashboard(scene):
    hcm = _second_province(scene)
    ministry = client_for(ministry_user())
    page = ministry.get(URL)
    assert page.status_code == 200 and page.context["scope"].national
    assert (_count(page, "ocop-products"), _count(page, "products-registered")) == (5, 7)
    body = page.content.decode()
    assert "Toàn quốc" in body and 'data-province="79">2<' in body and 'data-province="01">3<' in body
    assert "Báo cáo định kỳ" not in body  # the periodic workbook is a province's
    assert ministry.get(URL, {"tinh": "79"}).context["scope"].national  # a ministry office reads the whole country
    admin = client_for(make_user(Role.SYSTEM_ADMIN, username="admin"))
    own = admin.get(URL)
    assert own.context["scope"].province_id == province().pk and 'id="national-link"' in own.content.decode()
    national = admin.get(URL, {"tinh": "TW", "nam": "2025"})
    assert national.context["scope"] == stats.Scope(central_level().pk, None, dt.date(2025, 12, 31), national=True)
    assert _count(national, "ocop-products") == 2  # by the end of 2025, Hà Nội's 3-star of 2023 and 4-star of 2025
    assert _count(admin.get(URL, {"tinh": "79"}), "ocop-products") == 2
    # A province's coordinator reads their province and is refused the national view; an outsider is refused both.
    coordinator = client_for(hcm)
    own = coordinator.get(URL)
    assert (own.context["scope"].national, _count(own, "ocop-products")) == (False, 2)
    assert 'id="national-link"' not in own.content.decode() and 'id="by-province"' not in own.content.decode()
    assert coordinator.get(URL, {"tinh": "TW"}).status_code == 403
    outsider = client_for(make_user(None, username="outsider"))
    assert (outsider.get(URL, {"tinh": "TW"}).status_code, outsider.get(URL).status_code) == (403, 403)
