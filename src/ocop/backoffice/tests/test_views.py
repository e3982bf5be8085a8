import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ocop.conftest import client_for
from ocop.core.models import AuditEntry
from ocop.places.models import Commune
from ocop.registry.models import Document, Producer, Product
from ocop.testing import PNG_BYTES, make_producer, make_product, pdf_bytes


def test_bad_tax_code_gets_a_vietnamese_message_and_writes_nothing(world):
    client = client_for(world.users["coordinator"])
    before = (Producer.objects.count(), AuditEntry.objects.count())
    response = client.post(
        reverse("backoffice:producer_create"),
        {"kind": "enterprise", "name": "Công ty Sai Mã", "identifier": "12AB", "commune": world.producer.commune_id},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["identifier"] == [
        "Mã số thuế “12AB” phải có 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số đối với chi nhánh."
    ]
    assert (Producer.objects.count(), AuditEntry.objects.count()) == before


def test_commune_outside_scope_is_not_a_valid_choice(world):
    client = client_for(world.users["commune"])
    ba_vi = Commune.objects.get(province__code="01", short_name="Ba Vì")
    response = client.post(
        reverse("backoffice:producer_create"),
        {"kind": "cooperative", "name": "HTX Ngoài Xã", "identifier": "0108888881", "commune": ba_vi.pk},
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["commune"]
    assert not Producer.objects.filter(name="HTX Ngoài Xã").exists()


def test_create_producer_then_see_it_with_its_history(world):
    client = client_for(world.users["commune"])
    response = client.post(
        reverse("backoffice:producer_create"),
        {
            "kind": "household_business",
            "name": "Hộ Gốm Lan",
            "identifier": "001190055555",
            "commune": world.producer.commune_id,
        },
    )
    producer = Producer.objects.get(name="Hộ Gốm Lan")
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:producer_detail", kwargs={"pk": producer.pk})
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Hộ Gốm Lan" in page.content.decode()
    assert [e.action for e in page.context["history"]] == ["create"]


def test_document_upload_checks_content_and_size(world, settings):
    client = client_for(world.users["producer"])
    url = reverse("backoffice:document_create", kwargs={"pk": world.producer.pk})
    before = Document.objects.count()
    fake = SimpleUploadedFile("giay.pdf", b"<?php echo 'x'; ?>", content_type="application/pdf")
    response = client.post(url, {"kind": "food_safety", "file": fake})
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        "Tệp: chỉ nhận tệp PDF, JPG, PNG; nội dung tệp này không thuộc các loại đó."
    ]
    settings.OCOP_UPLOAD_MAX_BYTES = 100
    big = SimpleUploadedFile("to.pdf", pdf_bytes("big") + b" " * 200, content_type="application/pdf")
    response = client.post(url, {"kind": "food_safety", "file": big})
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == ["Tệp: tệp có dung lượng 0,0 MB; giới hạn là 0 MB."]
    assert Document.objects.count() == before
    settings.OCOP_UPLOAD_MAX_BYTES = 20 * 1024 * 1024
    good = SimpleUploadedFile("anh.png", PNG_BYTES, content_type="image/png")
    response = client.post(url, {"kind": "traceability", "number": "QR-1", "expires_on": "31/12/2027", "file": good})
    assert response.status_code == 302
    document = Document.objects.get(number="QR-1")
    assert (document.content_type, str(document.expires_on), document.original_name) == (
        "image/png",
        "2027-12-31",
        "anh.png",
    )
    download = client.get(reverse("backoffice:document_file", kwargs={"pk": document.pk}))
    assert (download.status_code, download["Content-Type"], download["X-Content-Type-Options"]) == (
        200,
        "image/png",
        "nosniff",
    )
    assert b"".join(download.streaming_content) == document.file.open("rb").read()  # re-encoded: ocop.core.uploads


def test_similar_product_is_a_warning_not_a_block(world):
    client = client_for(world.users["coordinator"])
    make_product(producer=world.producer, name="Bánh đa nem Thổ Hà")
    data = {
        "producer": world.producer.pk,
        "name": "Banh da nem Tho Ha",
        "product_set": world.product.product_set_id,
        "commune": world.producer.commune_id,
        "status": "active",
    }
    hx = client.get(reverse("backoffice:product_similar"), {**data, "name": "banh da nem tho ha"})
    assert "Bánh đa nem Thổ Hà" in hx.content.decode()
    response = client.post(reverse("backoffice:product_create"), data, follow=True)
    assert response.status_code == 200
    assert Product.objects.filter(name="Banh da nem Tho Ha").count() == 1
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert warnings == [f"Có thể trùng với sản phẩm: Bánh đa nem Thổ Hà ({world.producer.name})."]


def test_documents_are_found_by_producer_number_or_issuer(world):
    client = client_for(world.users["coordinator"])
    other = make_producer(name="HTX Mật Ong Ba Vì", commune_name="Ba Vì")
    from ocop.testing import make_document

    make_document(producer=other, number="77/ATTP-BV", issuer="Chi cục ATVSTP")

    def names(q):
        return [d.producer.name for d in client.get(reverse("backoffice:document_list"), {"q": q}).context["page"]]

    assert names("mat ong") == ["HTX Mật Ong Ba Vì"]
    assert names("77/attp") == ["HTX Mật Ong Ba Vì"]
    assert names("chi cục") == ["HTX Mật Ong Ba Vì"]
    assert names("khong co") == []


def test_htmx_search_returns_only_the_rows(world):
    client = client_for(world.users["coordinator"])
    make_producer(name="HTX Chè Tân Cương")
    response = client.get(reverse("backoffice:producer_list"), {"q": "che tan cuong"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert [p.name for p in response.context["page"]] == ["HTX Chè Tân Cương"]


def test_export_writes_formula_like_names_as_text(world):
    from openpyxl import load_workbook

    make_producer(name='=HYPERLINK("http://x")', commune_name="Bát Tràng")
    client = client_for(world.users["coordinator"])
    response = client.get(reverse("backoffice:producer_export"), {"q": "hyperlink"})
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["C6"].value == '=HYPERLINK("http://x")'  # below the title block and the header
    assert (ws["C6"].data_type, ws["C6"].quotePrefix) == ("s", True)


def test_language_switch_to_english(world):
    client = client_for(world.users["coordinator"])
    assert "Tổng quan" in client.get(reverse("backoffice:dashboard")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/bo/"})
    page = client.get(reverse("backoffice:dashboard")).content.decode()
    assert "Dashboard" in page
    assert "Tổng quan" not in page


def test_dashboard_counts_follow_the_role(world):
    coordinator = client_for(world.users["coordinator"]).get(reverse("backoffice:dashboard"))
    none = {"outlets": 0, "removals": 0, "notifications": 0, "parked": 0}
    assert coordinator.context["counts"] == {
        "producers": 2, "products": 1, "documents": 1, "expired": 0, "expiring": 0, **none,
        "parked": 1,  # the world's parked row, in the coordinator's province
    }  # fmt: skip
    charlie = client_for(world.users["charlie"]).get(reverse("backoffice:dashboard"))
    assert charlie.context["counts"] == {
        "producers": 0, "products": 0, "documents": 0, "expired": 0, "expiring": 0, **none,
    }  # fmt: skip
    owner = client_for(world.users["producer"]).get(reverse("backoffice:dashboard"))
    assert owner.context["counts"] == {
        "producers": 1,
        "products": 1,
        "documents": 1,
        "expired": 0,
        "expiring": 0,
        **none,
    }


def test_the_operators_dashboard_counts_its_outlets_and_products_to_take_off(
    outlet_scene, django_capture_on_commit_callbacks
):
    import datetime as dt

    from ocop.certificates import services as certificates
    from ocop.outlets import services as outlets
    from ocop.outlets.tests.conftest import recognised

    (outlet,) = recognised(outlet_scene)
    outlets.add_operator_member(
        by=outlet_scene.users["commerce"], operator=outlet.operator, user=outlet_scene.users["outlet"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        certificates.revoke(
            by=outlet_scene.users["coordinator"], certificate=outlet_scene.cert, decision_number="1/QĐ",
            revoked_on=dt.date(2026, 11, 28), reason="Vi phạm",
        )  # fmt: skip
    counts = client_for(outlet_scene.users["outlet"]).get(reverse("backoffice:dashboard")).context["counts"]
    assert (counts["outlets"], counts["removals"]) == (1, 1)


def test_dashboard_offers_the_vault_only_to_roles_that_can_read_it(world):
    from ocop.registry import access

    for role, expected in [
        ("coordinator", True),
        ("commerce", True),
        ("commune", True),
        ("producer", True),
        ("admin", True),
        ("council", False),
        ("outlet", False),
        ("charlie", True),  # reads the vault of its own province, which is empty here
    ]:
        response = client_for(world.users[role]).get(reverse("backoffice:dashboard"))
        assert response.context["sees_documents"] is expected, role
        # the same rule as the gateway: roles without the vault see no document at all
        if not expected:
            assert access.documents_visible_to(world.users[role]).count() == 0


def test_ids_in_links_and_choices_are_not_written_with_thousand_separators(world):
    """1.234 is how Vietnamese writes a thousand and more; an id in a URL or a form value must stay 1234."""
    from ocop.registry.models import Producer

    Producer.objects.filter(pk=world.empty_producer.pk).update(id=12345)
    client = client_for(world.users["coordinator"])
    page = client.get(reverse("backoffice:producer_detail", kwargs={"pk": 12345})).content.decode()
    assert "?producer=12345" in page
    listing = client.get(reverse("backoffice:product_list")).content.decode()
    assert re.findall(r'value="\d{1,3}(?:\.\d{3})+"', listing) == []  # commune ids run past 1.000
