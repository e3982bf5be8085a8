"""`/01/<GTIN>`: a pack's GS1 Digital Link resolves to its certificate page, its product page or its link set."""

import datetime as dt
import json

import pytest

from ocop.accounts.services import system_user
from ocop.certificates import services
from ocop.certificates.tests.conftest import issue, office  # noqa: F401
from ocop.registry import services as registry
from ocop.registry.models import ProductPack
from ocop.testing import make_product

BASE = "https://ocop.hanoi.gov.vn"
GTIN13 = "8930000000019"  # a valid GTIN-13 (GS1 check digit 9)
GTIN14 = "08930000000019"
LINKSET = "application/linkset+json"


@pytest.fixture
def boxed(office, settings, time_machine):  # noqa: F811
    """The office's first pack with a real GTIN-13, and its certificate issued on 20/11/2025; today 10/01/2026."""
    settings.OCOP_PUBLIC_BASE_URL = BASE
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    ProductPack.objects.filter(pk=office.packs[0].pk).update(gtin=GTIN13)
    office.cert = issue(office)
    return office


def test_a_packs_digital_link_redirects_to_its_certificate_page_which_keeps_working(boxed, client):
    cert = boxed.cert
    response = client.get(f"/01/{GTIN14}")
    assert response.status_code == 307
    assert response["Location"] == f"/v/{cert.code}"  # no fragment: the browser keeps the QR's signed claim
    assert response["Link"] == f'<{BASE}/01/{GTIN14}?linkType=all>; rel="linkset"; type="{LINKSET}"'
    assert (response["Cache-Control"], response["Vary"]) == ("no-cache", "Accept, Accept-Language")
    assert response.content == b""
    etag = response["ETag"]
    assert client.get(f"/01/{GTIN14}", HTTP_IF_NONE_MATCH=etag).status_code == 304
    # The GTIN-13 as printed under the bars, and key qualifiers or other parameters after it, answer the same.
    for path in (f"/01/{GTIN13}", f"/01/{GTIN14}/10/LO-2026/21/0001", f"/01/{GTIN14}/", f"/01/{GTIN14}?17=261231"):
        again = client.get(path)
        assert (again.status_code, again["Location"], again["ETag"]) == (307, f"/v/{cert.code}", etag), path
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Còn hiệu lực: sản phẩm OCOP 4 sao" in page.content.decode()
    assert "Hộp 1 bình · 30 cm · 8930000000019" in page.content.decode()


def test_the_link_set_names_the_certificate_and_the_product_page(boxed, client):
    cert, product = boxed.cert, boxed.product
    certificate = {
        "href": f"{BASE}/v/{cert.code}",
        "title": "Giấy chứng nhận OCOP 01-2025-00001: Bình gốm men lam",
        "type": "text/html",
        "hreflang": ["vi"],
    }
    expected = {
        "linkset": [
            {
                "anchor": f"{BASE}/01/{GTIN14}",
                "description": "Bình gốm men lam",
                "https://gs1.org/voc/defaultLink": [certificate],
                "https://gs1.org/voc/certificationInfo": [certificate],
                "https://gs1.org/voc/pip": [
                    {
                        "href": f"{BASE}/san-pham/{product.pk}/",
                        "title": "Bình gốm men lam: trang sản phẩm",
                        "type": "text/html",
                        "hreflang": ["vi"],
                    }
                ],
            }
        ]
    }
    response = client.get(f"/01/{GTIN13}?linkType=all")
    assert (response.status_code, response["Content-Type"], response["Cache-Control"]) == (200, LINKSET, "no-cache")
    assert json.loads(response.content) == expected
    negotiated = client.get(f"/01/{GTIN14}", HTTP_ACCEPT=LINKSET)
    assert (negotiated.status_code, negotiated.content) == (200, response.content)
    assert client.get(f"/01/{GTIN14}?linkType=all", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert client.get(f"/san-pham/{product.pk}/").status_code == 200  # the product page it names exists


def test_link_types_choose_the_page(boxed, client):
    cert, product = boxed.cert, boxed.product
    cases = {
        "gs1:pip": f"/san-pham/{product.pk}/",
        "https://gs1.org/voc/pip": f"/san-pham/{product.pk}/",
        "gs1:certificationInfo": f"/v/{cert.code}",
        "https://gs1.org/voc/certificationInfo": f"/v/{cert.code}",
        "gs1:defaultLink": f"/v/{cert.code}",
        "gs1:recipeInfo": f"/v/{cert.code}",  # a link type the resolver does not have: the default link
    }
    for link_type, location in cases.items():
        response = client.get(f"/01/{GTIN14}", {"linkType": link_type})
        assert (response.status_code, response["Location"]) == (307, location), link_type


NOT_FOUND = {
    "89300000000AB": (
        "format",
        "Không phải mã vạch",
        "“89300000000AB” không phải mã vạch (GTIN): mã GTIN gồm 8, 12, 13 hoặc 14 chữ số.",
        "Not a barcode. “89300000000AB” is not a barcode (GTIN): a GTIN has 8, 12, 13 or 14 digits.",
    ),
    "89300000001": (
        "format",
        "Không phải mã vạch",
        "“89300000001” không phải mã vạch (GTIN): mã GTIN gồm 8, 12, 13 hoặc 14 chữ số.",
        "Not a barcode. “89300000001” is not a barcode (GTIN): a GTIN has 8, 12, 13 or 14 digits.",
    ),
    "8930000000018": (
        "check_digit",
        "Sai số kiểm tra",
        "Mã vạch “8930000000018” sai số kiểm tra: mã bị nhập nhầm, hoặc nhãn không phải nhãn thật. Hãy đối chiếu "
        "các chữ số dưới vạch.",
        "Wrong check digit. The barcode “8930000000018” has a wrong check digit: it was mistyped, or the label is "
        "not genuine. Check the digits under the bars.",
    ),
    "8931234567897": (
        "unknown",
        "Không phải chứng nhận OCOP",
        "Không có giấy chứng nhận OCOP nào ghi mã vạch “8931234567897”. Quy cách đóng gói này không được chứng nhận "
        "theo mã vạch này: nếu nhãn có dấu OCOP, nhãn có thể là giả.",
        "Not an OCOP certificate. No OCOP certificate lists the barcode “8931234567897”. The pack is not certified "
        "under this barcode: if its label carries the OCOP mark, the label may be fake.",
    ),
}


@pytest.mark.parametrize("gtin", NOT_FOUND)
def test_a_malformed_wrong_or_unknown_barcode_is_a_clear_not_found(boxed, client, gtin):
    problem, headline, detail, english = NOT_FOUND[gtin]
    for path in (f"/01/{gtin}", f"/01/{gtin}?linkType=all"):
        response = client.get(path)
        body = response.content.decode()
        assert (response.status_code, response["Cache-Control"]) == (404, "no-cache")
        assert f'data-problem="{problem}"' in body
        assert f"{headline}\n<small>{detail}</small>" in body
        assert f'<small lang="en" class="en">{english}</small>' in body
        assert "<script" not in body


def test_a_barcode_on_a_pack_never_certified_is_unknown(boxed, client):
    other = make_product(producer=boxed.producer, name="Đĩa men rạn")
    registry.add_pack(product=other, by=system_user(), name="Hộp 1 đĩa", gtin="8931234567897")
    response = client.get("/01/8931234567897")
    assert response.status_code == 404
    assert 'data-problem="unknown"' in response.content.decode()


def test_a_barcode_on_two_packs_answers_the_certificate_that_is_ocop_today_then_the_latest(boxed, client):
    first = boxed.cert
    other = make_product(producer=boxed.producer, name="Bình men rạn")
    registry.add_pack(product=other, by=system_user(), name="Hộp", gtin=GTIN13)  # the same barcode, by mistake
    second = issue(boxed, product=other, stars=3, on=dt.date(2026, 1, 5))
    response = client.get(f"/01/{GTIN14}")
    assert response["Location"] == f"/v/{second.code}"  # both are OCOP today: the latest issued
    services.revoke(
        by=boxed.coordinator, certificate=second, decision_number="9/QĐ", revoked_on=dt.date(2026, 1, 9), reason="Sai"
    )
    after = client.get(f"/01/{GTIN14}", HTTP_IF_NONE_MATCH=response["ETag"])
    assert (after.status_code, after["Location"]) == (307, f"/v/{first.code}")  # the one that is OCOP today
    services.suspend(by=boxed.coordinator, certificate=first, reason="Nhãn sai")
    # Neither is OCOP today: the latest issued, whose page says it is revoked.
    assert client.get(f"/01/{GTIN14}")["Location"] == f"/v/{second.code}"
    assert "THU HỒI" in client.get(f"/v/{second.code}").content.decode()


def test_an_expired_certificate_still_answers_with_its_page(boxed, client, time_machine):
    time_machine.move_to(dt.datetime(2028, 11, 21, 12, tzinfo=dt.UTC))
    response = client.get(f"/01/{GTIN14}")
    assert response["Location"] == f"/v/{boxed.cert.code}"
    assert 'data-status="expired"' in client.get(response["Location"]).content.decode()


def test_a_pack_removed_after_its_labels_were_printed_still_resolves(boxed, client):
    registry.remove_pack(pack=ProductPack.objects.get(pk=boxed.packs[0].pk), by=system_user())
    assert not ProductPack.objects.filter(gtin=GTIN13).exists()
    response = client.get(f"/01/{GTIN14}")
    assert (response.status_code, response["Location"]) == (307, f"/v/{boxed.cert.code}")


def test_the_resolver_reads_the_database_once(boxed, client, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert client.get(f"/01/{GTIN14}").status_code == 307
    with django_assert_num_queries(1):
        assert client.get(f"/01/{GTIN14}?linkType=all").status_code == 200
    with django_assert_num_queries(0):
        assert client.get("/01/8930000000018").status_code == 404


def test_hostile_paths_are_a_readable_not_found_never_an_error_or_markup(boxed, client):
    """Digits of other scripts (str.isdigit takes them), a thousand digits, markup: a 404 page naming the barcode as
    given (escaped, at most 40 characters); key qualifiers with slashes or encoded slashes still resolve."""
    fmt = "Không phải mã vạch\n<small>“{}” không phải mã vạch (GTIN): mã GTIN gồm 8, 12, 13 hoặc 14 chữ số.</small>"
    cases = {
        "/01/%D9%A8%D9%A9%D9%A3%D9%A0%D9%A0%D9%A0%D9%A0%D9%A0%D9%A0%D9%A0%D9%A0%D9%A1%D9%A9": "٨٩٣٠٠٠٠٠٠٠٠١٩",
        "/01/%EF%BC%98930000000019": "８930000000019",  # a full-width 8
        "/01/" + "0" * 1000: "0" * 40,
        "/01/%3Cscript%3Ealert(1)%3C%2Fscript%3E": "&lt;script&gt;alert(1)&lt;",  # %2F ends the GTIN, as "/" does
        "/01/%22onmouseover=alert(1)%20x=%22": "&quot;onmouseover=alert(1) x=&quot;",
    }
    for path, shown in cases.items():
        response = client.get(path)
        body = response.content.decode()
        assert (response.status_code, response["Cache-Control"]) == (404, "no-cache"), path
        assert fmt.format(shown) in body, path
        assert "<script" not in body and "alert(1)<" not in body
    for path in (f"/01/{GTIN14}/10/LOT/2026/21/A%2FB", f"/01/{GTIN14}/10/%2F%2Fevil.example", f"/01/{GTIN14}%2F10%2Fx"):
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (307, f"/v/{boxed.cert.code}"), path
    # linkType is only compared, never written back: a CR LF in it changes nothing.
    response = client.get(f"/01/{GTIN14}?linkType=%0D%0AX-Injected:%201")
    assert (response.status_code, response["Location"], response.has_header("X-Injected")) == (
        307, f"/v/{boxed.cert.code}", False
    )  # fmt: skip
