"""The back office's API token pages: each user lists, creates and revokes their own tokens; a new token's text is
shown once, on the page that answers the form, and never again."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse

from ocop.accounts.models import ApiToken, TokenScope
from ocop.accounts.services import create_api_token
from ocop.conftest import client_for

LIST = reverse("backoffice:token_list")
T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def test_the_list_costs_the_same_for_one_token_or_three(world, django_assert_num_queries):
    user = world.users["commerce"]
    client = client_for(user)
    for count in (1, 3):
        while ApiToken.objects.filter(user=user).count() < count:
            create_api_token(user=user, name=f"Hệ thống {count}", scope=TokenScope.READ, days=30)
        # session, user, the tokens' count, the page of tokens, roles (menu), the menu's work counts
        with django_assert_num_queries(6):
            page = client.get(LIST)
        assert page.content.decode().count("data-token=") == count


def test_a_new_token_is_shown_once_and_works(world, time_machine):
    time_machine.move_to(T0, tick=False)
    client = client_for(world.users["coordinator"])
    page = client.get(LIST)
    assert page.status_code == 200
    assert "Bạn chưa có mã truy cập API nào." in page.content.decode()
    answer = client.post(LIST, {"name": "Sàn Thương mại X", "scope": "write", "days": "90"})
    assert answer.status_code == 200
    token = ApiToken.objects.get()
    html = answer.content.decode()
    text = html.split('id="token-text" value="', 1)[1].split('"', 1)[0]
    assert text.startswith(f"ocop_{token.prefix}_") and len(text) == 57
    assert "mã chỉ hiện một lần này" in html
    assert "no-store" in answer["Cache-Control"]
    assert (token.user, token.name, token.scope, token.expires_at) == (
        world.users["coordinator"], "Sàn Thương mại X", "write", T0 + dt.timedelta(days=90),
    )  # fmt: skip
    listing = client.get(LIST).content.decode()
    assert text not in listing and text.split("_", 2)[2] not in listing
    assert f"<code>ocop_{token.prefix}_…</code>" in listing
    assert "<td>Đọc và ghi</td><td>02/03/2026 15:00</td><td>31/05/2026 15:00</td><td>—</td><td>Đang hiệu lực</td>" in (
        listing
    )
    api = Client(enforce_csrf_checks=True).get("/api/v1/products", HTTP_AUTHORIZATION=f"Bearer {text}")
    assert api.status_code == 200


def test_bad_input_names_the_field_and_writes_nothing(world):
    client = client_for(world.users["outlet"])
    for data, message in [
        ({"name": "", "scope": "read", "days": "30"}, "Tên: Trường này là bắt buộc."),
        ({"name": "X", "scope": "admin", "days": "30"},
         "Phạm vi: Hãy chọn một lựa chọn hợp lệ. admin không phải là một trong các lựa chọn khả thi."),
        ({"name": "X", "scope": "read", "days": "0"}, "Thời hạn (ngày): Đảm bảo giá trị này lớn hơn hoặc bằng với 1 ."),
        ({"name": "X", "scope": "read", "days": "ba"}, "Thời hạn (ngày): Hãy nhập một số nguyên."),
    ]:  # fmt: skip
        answer = client.post(LIST, data)
        assert answer.status_code == 200
        assert f"<li>{message}</li>" in answer.content.decode(), data
    assert ApiToken.objects.count() == 0
    # No expiry: the days left empty.
    client.post(LIST, {"name": "Không hết hạn", "scope": "read", "days": ""})
    assert ApiToken.objects.get().expires_at is None


def test_revoke_asks_then_revokes_and_only_ones_own(world):
    owner = world.users["coordinator"]
    token = create_api_token(user=owner, name="Cổng tỉnh", scope=TokenScope.READ).token
    url = reverse("backoffice:token_revoke", args=[token.pk])
    client = client_for(owner)
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert f"mọi lời gọi bằng mã ocop_{token.prefix}_… đều bị từ chối" in confirm.content.decode()
    outsider = client_for(world.users["charlie"])
    assert [outsider.get(url).status_code, outsider.post(url).status_code] == [404, 404]
    token.refresh_from_db()
    assert token.revoked_at is None
    answer = client.post(url, follow=True)
    assert answer.redirect_chain == [(LIST, 302)]
    assert "Đã thu hồi mã truy cập API “Cổng tỉnh”." in answer.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "<td>Đã thu hồi</td><td></td>" in answer.content.decode()  # no revoke link any more
    assert "Mã này đã bị thu hồi." in client.get(url).content.decode()


def test_every_signed_in_user_may_open_the_page_and_a_visitor_is_sent_to_log_in(world):
    assert client_for(world.users["producer"]).get(LIST).status_code == 200
    assert client_for(None).get(LIST).status_code == 302
