"""/bo/statistics/ lists the communes in Vietnamese order, in the commune picker and the table under the map."""

import datetime as dt
import re

from ocop.accounts.models import Role
from ocop.outlets.tests.conftest import certify
from ocop.testing import make_producer, make_product, make_user

NAMES = ["Thanh Xuân", "Ô Chợ Dừa", "Hoàng Mai", "Chương Mỹ", "Tây Hồ", "Đống Đa", "Hà Đông", "Cầu Giấy"]


def test_the_statistics_page_lists_communes_in_vietnamese_order(client, db, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 29, 9, tzinfo=dt.UTC))
    coordinator = make_user(Role.PROVINCE_COORDINATOR, username="coordinator")
    for name in NAMES:
        certify(coordinator, make_product(producer=make_producer(commune_name=name)), on=dt.date(2026, 3, 1), stars=3)
    client.force_login(coordinator)
    page = client.get("/bo/statistics/").content.decode()

    picker = re.search(r'<select name="xa">(.*?)</select>', page, re.S).group(1)
    options = re.findall(r"<option [^>]*>([^<]*)</option>", picker)
    wanted = ["Phường Cầu Giấy", "Phường Chương Mỹ", "Phường Đống Đa", "Phường Hà Đông", "Phường Hoàng Mai",
              "Phường Ô Chợ Dừa", "Phường Tây Hồ", "Phường Thanh Xuân"]  # fmt: skip
    assert [o for o in options if o in wanted] == wanted
    assert options.index("Xã Bát Tràng") < options.index("Phường Cầu Giấy") < options.index("Xã Đan Phượng")
    assert options.index("Phường Ô Chợ Dừa") < options.index("Xã Phú Xuyên") < options.index("Phường Tây Hồ")

    table = re.search(r'<table class="table narrow-table" id="by-commune">(.*?)</table>', page, re.S).group(1)
    assert re.findall(r'<a href="\?xa=\d+">([^<]*)</a></td><td class="num">1</td>', table) == wanted
