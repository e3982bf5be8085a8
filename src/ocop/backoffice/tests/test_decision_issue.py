"""Issuing a decision creates legal certificates, so it takes a confirmation: the first POST shows what will be
created (how many certificates, the products and their stars, the decision's number and date) and writes nothing;
only the confirmation page's button issues; a GET never does."""

import datetime as dt

import lxml.html
import pytest
from django.urls import reverse

from ocop.certificates import services as certificates
from ocop.certificates.enums import DecisionState, IssuingLevel
from ocop.certificates.models import Certificate, Decision
from ocop.conftest import client_for
from ocop.evaluation.testing import council_result
from ocop.testing import make_product, province

TYPED = {"number": "125/QĐ-UBND", "signed_on": "2026-03-02", "signer": "Nguyễn Văn Ký"}


@pytest.fixture
def draft(world, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))
    coordinator = world.users["coordinator"]
    decision = certificates.draft_decision(by=coordinator, province=province(), level=IssuingLevel.PROVINCE)
    for name, stars in (("Bánh cốm làng Vòng", 4), ("Chè búp Ba Vì", 3), ("Gốm men lam", 4)):
        product = make_product(producer=world.producer, name=name)
        council_result(product, stars)
        certificates.add_item(by=coordinator, decision=decision, product=product, stars=stars)
    return world, decision


def _nothing_issued(decision: Decision) -> bool:
    return Decision.objects.get(pk=decision.pk).state == DecisionState.DRAFT and not Certificate.objects.exists()


def test_the_first_post_shows_what_will_be_created_and_issues_nothing(draft):
    world, decision = draft
    client = client_for(world.users["coordinator"])
    url = reverse("backoffice:decision_issue", args=[decision.pk])
    assert client.get(url).status_code == 405  # a GET never issues
    response = client.post(url, TYPED)
    assert response.status_code == 200
    assert _nothing_issued(decision)
    page = lxml.html.fromstring(response.content.decode())
    assert page.get_element_by_id("issue-summary").text_content() == (
        "Ban hành quyết định 125/QĐ-UBND ngày 02/03/2026 sẽ cấp 3 giấy chứng nhận OCOP, có hiệu lực đến ngày "
        "02/03/2029. Giấy chứng nhận là văn bản pháp lý: đã cấp thì không xóa được, chỉ có thể tạm đình chỉ hoặc "
        "thu hồi."
    )
    assert page.get_element_by_id("issue-stars").text_content() == "4★: 2 · 3★: 1"
    rows = [[td.text_content() for td in tr.findall("td")] for tr in page.get_element_by_id("issue-items").iter("tr")]
    assert [r[1:2] + r[3:] for r in rows if r] == [
        ["Bánh cốm làng Vòng", "4★"], ["Chè búp Ba Vì", "3★"], ["Gốm men lam", "4★"]]  # fmt: skip
    confirm = page.get_element_by_id("issue-confirm")
    assert {i.get("name"): i.get("value") for i in confirm.iter("input") if i.get("type") == "hidden"} == {
        "csrfmiddlewaretoken": confirm.xpath(".//input[@name='csrfmiddlewaretoken']")[0].get("value")
    } | TYPED
    button = confirm.find(".//button")
    assert (button.get("name"), button.get("value"), button.text_content()) == (
        "confirm", "on", "Ban hành và tạo giấy chứng nhận")  # fmt: skip

    refused = client.post(url, TYPED | {"confirm": ""})  # the box left out: still nothing
    assert refused.status_code == 400 and _nothing_issued(decision)
    assert "Hãy xác nhận ở trang xác nhận để ban hành quyết định." in refused.content.decode()

    done = client.post(url, TYPED | {"confirm": "on"})
    assert done.status_code == 302
    issued = Decision.objects.get(pk=decision.pk)
    assert (issued.state, issued.number, issued.signed_on, issued.signer) == (
        DecisionState.ISSUED, "125/QĐ-UBND", dt.date(2026, 3, 2), "Nguyễn Văn Ký")  # fmt: skip
    assert sorted(Certificate.objects.values_list("product__name", "stars")) == [
        ("Bánh cốm làng Vòng", 4), ("Chè búp Ba Vì", 3), ("Gốm men lam", 4)]  # fmt: skip


def test_a_decision_that_cannot_be_issued_is_refused_before_the_confirmation(world, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))
    coordinator = world.users["coordinator"]
    empty = certificates.draft_decision(by=coordinator, province=province(), level=IssuingLevel.PROVINCE)
    response = client_for(coordinator).post(reverse("backoffice:decision_issue", args=[empty.pk]), TYPED)
    assert response.status_code == 400
    assert "Quyết định chưa có sản phẩm nào." in response.content.decode()
    assert 'id="issue-confirm"' not in response.content.decode()
    assert _nothing_issued(empty)


def test_the_confirmation_is_refused_to_a_reader_who_may_not_issue(draft):
    world, decision = draft
    response = client_for(world.users["commune"]).post(reverse("backoffice:decision_issue", args=[decision.pk]),
                                                       TYPED)  # fmt: skip
    assert response.status_code in (403, 404)
    assert _nothing_issued(decision)


def test_a_signer_left_empty_is_the_issuing_bodys_shown_before_confirming_and_kept(draft):
    from ocop.places.demo import DEMO_BODIES
    from ocop.places.issuers import save_issuing_body

    world, decision = draft
    save_issuing_body(by=None, province=province(), values=DEMO_BODIES["01"])
    client = client_for(world.users["coordinator"])
    url = reverse("backoffice:decision_issue", args=[decision.pk])

    response = client.post(url, {**TYPED, "signer": ""})

    page = lxml.html.fromstring(response.content.decode())
    assert page.get_element_by_id("issue-signer").text_content() == "KT. CHỦ TỊCH PHÓ CHỦ TỊCH: Nguyễn Mạnh Quyền"
    assert _nothing_issued(decision)
    client.post(url, {**TYPED, "signer": "Nguyễn Mạnh Quyền", "confirm": "on"})  # as the page sends it back
    issued = Decision.objects.get(pk=decision.pk)
    assert (issued.signer_authority, issued.signer_title, issued.signer) == (
        "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Mạnh Quyền"
    )  # fmt: skip


def test_the_draft_page_offers_the_issuing_bodys_signer_as_the_default(draft):
    from ocop.places.demo import DEMO_BODIES
    from ocop.places.issuers import save_issuing_body

    world, decision = draft
    client = client_for(world.users["coordinator"])
    url = reverse("backoffice:decision_detail", args=[decision.pk])
    field = './/input[@name="signer"]'
    assert lxml.html.fromstring(client.get(url).content.decode()).find(field).get("placeholder") is None  # no name set

    save_issuing_body(by=None, province=province(), values=DEMO_BODIES["01"])

    page = lxml.html.fromstring(client.get(url).content.decode())
    assert page.find(field).get("placeholder") == "Nguyễn Mạnh Quyền"
