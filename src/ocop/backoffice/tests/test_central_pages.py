"""The central level in the back office: what each side reads, is told and may do."""

import io
import zipfile

from django.urls import reverse

from ocop.accounts.models import Notification
from ocop.certificates import services
from ocop.certificates.tests.test_central import Nation, _score, nation  # noqa: F401
from ocop.conftest import client_for
from ocop.evaluation import central
from ocop.evaluation.models import Dossier
from ocop.testing import make_product


def test_a_province_reads_nothing_of_the_central_council_before_publication(nation):  # noqa: F811
    central.receive_referrals(by=nation.ministry, round_=nation.round)
    dossier = Dossier.objects.get(round=nation.round, product=nation.product)
    council = _score(nation)
    url = reverse("backoffice:dossier_detail", args=[dossier.pk])
    from ocop.evaluation.models import Result

    Result.objects.filter(council=council).update(published=False)  # scored, not yet published
    Dossier.objects.filter(pk=dossier.pk).update(state="scored")
    html = client_for(nation.hanoi).get(url).content.decode()
    assert "100,00" not in html and "Điểm trung bình" not in html and "tw0" not in html
    assert "100,00" in client_for(nation.ministry).get(url).content.decode()


def test_the_ministry_and_its_council_read_what_the_province_sent(nation):  # noqa: F811
    central.receive_referrals(by=nation.ministry, round_=nation.round)
    dossier = Dossier.objects.get(round=nation.round, product=nation.product)
    previous = reverse("backoffice:dossier_detail", args=[dossier.previous_id])
    package = reverse("backoffice:province_package", args=[dossier.pk])
    _score(nation)  # the members take their seats
    for user in (nation.ministry, nation.members[0]):
        assert client_for(user).get(previous).status_code == 200
        response = client_for(user).get(package)
        assert response.status_code == 200
        names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
        assert any(n.endswith(".pdf") for n in names)
    assert client_for(nation.other_office).get(package).status_code == 404
    assert dossier.transitions.first().note == "Được Thành phố Hà Nội đề nghị với 93,00 điểm."


def test_each_step_of_the_central_level_tells_the_next_person(nation):  # noqa: F811
    central.receive_referrals(by=nation.ministry, round_=nation.round)
    _score(nation)
    assert sorted(Notification.objects.filter(user=nation.hanoi).values_list("title", flat=True)) == [
        "Cấp Trung ương đã tiếp nhận Bình gốm men lam",
        "Hội đồng cấp Trung ương đánh giá Bình gốm men lam đạt 5 sao",
    ]
    # A province publishing a new referral tells the ministry's office.
    from ocop.evaluation import scoring
    from ocop.evaluation.testing import council_result

    result = council_result(make_product(producer=nation.product.producer, name="Ấm gốm"), 5, published=False)
    scoring.publish_results(by=nation.hanoi, council=result.council)
    assert list(Notification.objects.filter(user=nation.ministry, kind="central_round").values_list("title", "body")) == [
        ("Thành phố Hà Nội đề nghị công nhận 5 sao cho Ấm gốm",
         "Hội đồng cấp tỉnh chấm 93,00 điểm. Hãy tiếp nhận sản phẩm vào một đợt đánh giá cấp Trung ương.")
    ]  # fmt: skip


def test_the_referrals_page_follows_to_the_certificate_and_receiving_nothing_says_so(nation):  # noqa: F811
    central.receive_referrals(by=nation.ministry, round_=nation.round)
    _score(nation)
    decision = services.draft_from_round(by=nation.ministry, round_=nation.round)
    import datetime as dt

    services.issue_decision(by=nation.ministry, decision=decision, number="1/QĐ-BNNMT", signed_on=dt.date(2026, 3, 2))
    html = client_for(nation.hanoi).get(reverse("backoffice:referrals")).content.decode()
    assert "TW-2026-00001" in html and "TW-2026-00002" not in html
    receive = reverse("backoffice:round_receive", args=[nation.round.pk])
    response = client_for(nation.ministry).post(receive, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Không có sản phẩm đề nghị nào đang chờ tiếp nhận."]
    assert client_for(nation.ministry).post(reverse("backoffice:round_receive", args=[99999])).status_code == 404
    assert client_for(nation.members[0]).get(reverse("backoffice:referrals")).status_code == 403
