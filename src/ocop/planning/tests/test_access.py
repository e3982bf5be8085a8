"""The planning gateway: who reads which plans and targets."""

import datetime as dt

from ocop.accounts.models import Role
from ocop.planning import access, services
from ocop.testing import commune, make_user, province


def test_targets_are_read_by_the_province_and_by_the_communes_own_officer(shop):
    plan = services.create_plan(
        by=shop.coordinator, province=province(), year=2025, title="Kế hoạch OCOP 2025", number="35/KH-UBND",
        signed_on=dt.date(2025, 2, 10),
    )  # fmt: skip
    whole = services.set_target(by=shop.coordinator, plan=plan, indicator="fairs", value=4)
    mine = services.set_target(by=shop.coordinator, plan=plan, indicator="fairs", value=1, commune=commune("Bát Tràng"))
    other = services.set_target(by=shop.coordinator, plan=plan, indicator="fairs", value=1, commune=commune("Phù Đổng"))
    officer = make_user(Role.COMMUNE_OFFICER, username="canboxa", communes=("Bát Tràng",))
    admin = make_user(Role.SYSTEM_ADMIN, username="quantri")
    assert set(access.targets_visible_to(shop.coordinator)) == {whole, mine, other}
    assert set(access.targets_visible_to(shop.officer)) == {whole, mine, other}  # commerce officer of the province
    assert set(access.targets_visible_to(admin)) == {whole, mine, other}
    assert list(access.targets_visible_to(officer)) == [mine]
    for outsider in (shop.charlie, shop.operator, make_user(Role.INSPECTOR, username="thanhtra")):
        assert list(access.targets_visible_to(outsider)) == []
    assert list(access.plans_visible_to(officer)) == []  # their part only, never the whole plan
