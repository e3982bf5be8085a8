"""Uploads through the back-office pages and the services (issue 15, item 5): what is stored is the decoded and
re-encoded photo or a PDF without active content; a refusal names the field, answers 4xx and leaves no row and no
file; files come back as attachments unless they are images. (The checks themselves: ocop.core.tests.test_uploads.)"""

import datetime as dt
import hashlib
import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from ocop.conftest import client_for
from ocop.core.tests import upload_samples as samples
from ocop.outlets import services as outlet_services
from ocop.outlets.enums import FileKind
from ocop.outlets.models import OutletFile
from ocop.outlets.tests.conftest import register
from ocop.registry import services
from ocop.registry.models import Document, ProductPhoto
from ocop.supervision import services as supervision
from ocop.supervision.models import InspectionPhoto
from ocop.testing import pdf_bytes, province

SCRIPT = (
    "Tệp: tệp PDF chứa mã lệnh hoặc thao tác khởi chạy chương trình (%s): hãy in ra một tệp PDF mới rồi tải tệp đó lên."
)
PIXELS = "Ảnh: ảnh lớn hơn 40 megapixel; hãy thu nhỏ ảnh rồi tải lên lại."
NOT_A_PHOTO = "Ảnh: chỉ nhận tệp JPG, PNG; nội dung tệp này không thuộc các loại đó."


@pytest.fixture
def media(settings, tmp_path) -> Path:
    """An empty media folder of its own, to see every file written (or not)."""
    folder = tmp_path / "uploads"
    folder.mkdir()
    settings.MEDIA_ROOT = folder
    return folder


def files_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def stored(field) -> bytes:
    with field.open("rb") as fh:
        return fh.read()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


# ---- product photos ---------------------------------------------------------------------------------------------


def test_a_product_photo_declaring_30000_by_30000_pixels_is_refused_and_nothing_is_written(world, media):
    client = client_for(world.users["coordinator"])
    url = reverse("backoffice:photo_add", kwargs={"pk": world.product.pk})
    before = ProductPhoto.objects.count()
    response = client.post(url, {"image": upload("anh.png", samples.png_declaring(30000, 30000))}, follow=True)
    assert response.status_code == 200
    # (the page's own "Ảnh: " prefix before the service's message goes when the view becomes a form)
    assert [str(m).endswith(PIXELS) for m in response.context["messages"]] == [True]
    assert (ProductPhoto.objects.count(), files_in(media)) == (before, [])


def test_a_product_photo_followed_by_html_is_stored_clean_and_served_inline(world, media):
    client = client_for(world.users["coordinator"])
    url = reverse("backoffice:photo_add", kwargs={"pk": world.product.pk})
    response = client.post(url, {"image": upload("anh.png", samples.png_then_html(), "image/png"), "caption": "Hộp"})
    assert response.status_code == 302
    photo = ProductPhoto.objects.filter(product=world.product).latest("id")
    assert stored(photo.image) == samples.png_bytes()  # the clean re-encoding: no HTML after IEND
    assert files_in(media) == [photo.image.name]
    download = client.get(reverse("backoffice:photo_file", kwargs={"pk": world.product.pk, "photo_pk": photo.pk}))
    assert (download["Content-Type"], download["X-Content-Type-Options"]) == ("image/png", "nosniff")
    assert download["Content-Disposition"].startswith("inline;")
    assert b"".join(download.streaming_content) == samples.png_bytes()


def test_the_photo_service_refuses_a_text_file_named_png(world, media):
    with pytest.raises(ValidationError) as caught:
        services.add_photo(
            product=world.product, by=world.users["coordinator"], upload=io.BytesIO(b"<?php system($_GET['c']); ?>")
        )
    assert caught.value.message_dict == {"image": [NOT_A_PHOTO]}
    assert files_in(media) == []


# ---- the vault ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "what"),
    [(samples.pdf_open_action_script(), "JavaScript"), (samples.pdf_launch(), "Launch")],
    ids=["open-action-javascript", "launch"],
)
def test_a_pdf_with_a_script_or_a_launch_action_is_refused_with_the_field_named(world, media, data, what):
    client = client_for(world.users["producer"])
    url = reverse("backoffice:document_create", kwargs={"pk": world.producer.pk})
    before = Document.objects.count()
    response = client.post(url, {"kind": "food_safety", "number": "X-1", "file": upload("giay.pdf", data)})
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [SCRIPT % what]
    assert SCRIPT % what in response.content.decode()
    assert (Document.objects.count(), Document.objects.filter(number="X-1").exists(), files_in(media)) == (
        before, False, []
    )  # fmt: skip


def test_a_clean_pdf_is_kept_as_uploaded_and_downloaded_as_an_attachment(world, media):
    client = client_for(world.users["producer"])
    data = pdf_bytes("Giấy chứng nhận cơ sở đủ điều kiện ATTP")
    url = reverse("backoffice:document_create", kwargs={"pk": world.producer.pk})
    response = client.post(url, {"kind": "food_safety", "number": "ATTP-9", "file": upload("giấy.pdf", data)})
    assert response.status_code == 302
    document = Document.objects.get(number="ATTP-9")
    assert (stored(document.file), document.size, document.sha256, document.content_type) == (
        data, len(data), hashlib.sha256(data).hexdigest(), "application/pdf"
    )  # fmt: skip
    download = client.get(reverse("backoffice:document_file", kwargs={"pk": document.pk}))
    assert (download.status_code, download["Content-Type"], download["X-Content-Type-Options"]) == (
        200, "application/pdf", "nosniff"
    )  # fmt: skip
    assert download["Content-Disposition"] == "attachment; filename*=utf-8''gi%E1%BA%A5y.pdf"
    assert b"".join(download.streaming_content) == data


def test_a_jpeg_in_the_vault_is_stored_without_its_gps_position_and_hashed_as_stored(world, media):
    client = client_for(world.users["producer"])
    original = samples.jpeg_with_gps()
    url = reverse("backoffice:document_create", kwargs={"pk": world.producer.pk})
    response = client.post(url, {"kind": "traceability", "number": "TX-2", "file": upload("anh.jpg", original)})
    assert response.status_code == 302
    document = Document.objects.get(number="TX-2")
    content = stored(document.file)
    assert content != original and b"Exif" not in content
    with Image.open(io.BytesIO(content)) as image:
        assert (image.format, dict(image.getexif()), image.size) == ("JPEG", {}, (20, 40))
    assert (document.content_type, document.size, document.sha256) == (
        "image/jpeg", len(content), hashlib.sha256(content).hexdigest()
    )  # fmt: skip
    # the same photo again is the same stored file: the vault says so
    with pytest.raises(ValidationError) as caught:
        services.add_document(producer=world.producer, by=world.users["coordinator"], upload=io.BytesIO(original), original_name="b.jpg",
                              kind="traceability", number="TX-3")  # fmt: skip
    assert caught.value.message_dict == {"file": [f"Tệp này đã có trong kho hồ sơ: “{document}”."]}


def test_the_document_service_refuses_an_escaped_javascript_name_tree(world, media):
    with pytest.raises(ValidationError) as caught:
        services.add_document(producer=world.producer, by=world.users["coordinator"], upload=io.BytesIO(samples.pdf_script_name_tree_escaped()),
                              original_name="a.pdf", kind="food_safety", number="E-1")  # fmt: skip
    assert caught.value.message_dict == {"file": [SCRIPT % "JavaScript"]}
    assert (Document.objects.filter(number="E-1").exists(), files_in(media)) == (False, [])


# ---- inspections and outlets -------------------------------------------------------------------------------------


def test_an_inspection_photo_is_checked_and_re_encoded(world, media, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 29, 9, tzinfo=dt.UTC))
    coordinator = world.users["coordinator"]
    inspection = supervision.schedule(by=coordinator, province=province(), planned_on=dt.date(2026, 11, 29),
                                      producer=world.producer)  # fmt: skip
    client = client_for(coordinator)
    url = reverse("backoffice:inspection_photo_add", kwargs={"pk": inspection.pk})
    response = client.post(url, {"photo": upload("anh.png", b"just text, renamed .png")})
    assert response.status_code in (400, 200)
    assert NOT_A_PHOTO in response.content.decode()
    assert (InspectionPhoto.objects.count(), files_in(media)) == (0, [])
    response = client.post(url, {"photo": upload("anh.png", samples.png_then_html())})
    assert response.status_code == 302
    photo = InspectionPhoto.objects.get(inspection=inspection)
    assert (stored(photo.file), photo.content_type) == (samples.png_bytes(), "image/png")
    served = client.get(reverse("backoffice:inspection_photo", kwargs={"pk": inspection.pk, "photo_pk": photo.pk}))
    assert (served["Content-Type"], served["X-Content-Type-Options"]) == ("image/png", "nosniff")
    assert b"".join(served.streaming_content) == samples.png_bytes()


def test_outlet_photos_and_evidence_are_checked(world, media, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 29, 9, tzinfo=dt.UTC))
    commerce = world.users["commerce"]
    outlet = register(commerce)
    client = client_for(commerce)
    url = reverse("backoffice:outlet_photo_add", kwargs={"pk": outlet.pk})
    response = client.post(url, {"image": upload("anh.png", samples.png_declaring(30000, 30000))})
    assert response.status_code == 400
    assert PIXELS in response.content.decode()
    assert (OutletFile.objects.count(), files_in(media)) == (0, [])
    with pytest.raises(ValidationError) as caught:
        outlet_services.add_file(by=commerce, outlet=outlet, kind=FileKind.EVIDENCE,
                                 upload=io.BytesIO(samples.pdf_launch()))  # fmt: skip
    assert caught.value.message_dict == {"evidence": [SCRIPT.replace("Tệp:", "Minh chứng:") % "Launch"]}
    evidence = outlet_services.add_file(by=commerce, outlet=outlet, kind=FileKind.EVIDENCE,
                                        upload=io.BytesIO(pdf_bytes("Biên bản")))  # fmt: skip
    served = client.get(reverse("backoffice:outlet_file", kwargs={"pk": outlet.pk, "file_pk": evidence.pk}))
    assert (served["Content-Type"], served["X-Content-Type-Options"]) == ("application/pdf", "nosniff")
    assert served["Content-Disposition"].startswith("attachment;")


def test_a_file_name_over_255_characters_is_refused_by_the_services_never_cut(world, media):
    """Django's upload parser shortens a longer name to 255 characters, keeping its extension, before any form sees
    it; the services refuse a longer one from a caller past the forms (the API, a command), naming the field, and
    keep nothing."""
    from ocop.registry.jobs import start_import

    long_name = "giấy chứng nhận " * 18 + ".pdf"  # 292 characters
    client = client_for(world.users["producer"])
    url = reverse("backoffice:document_create", kwargs={"pk": world.producer.pk})
    response = client.post(url, {"kind": "food_safety", "number": "X-2", "file": upload(long_name, pdf_bytes())})
    assert response.status_code == 302
    kept = Document.objects.get(number="X-2").original_name
    assert (len(kept), kept[-4:]) == (255, ".pdf")
    before, stored_files = Document.objects.count(), files_in(media)
    too_long = "Tên tệp quá dài (tối đa 255 ký tự): hãy đổi tên tệp."
    with pytest.raises(ValidationError) as refused:
        services.add_document(producer=world.producer, by=world.users["producer"], upload=io.BytesIO(pdf_bytes()),
                              original_name=long_name, kind="food_safety", number="X-3")  # fmt: skip
    assert refused.value.message_dict == {"file": [too_long]}
    with pytest.raises(ValidationError) as refused:
        start_import(kind="producers", upload=io.BytesIO(b"PK"), original_name=long_name + ".xlsx",
                     by=world.users["coordinator"])  # fmt: skip
    assert refused.value.message_dict == {"file": [too_long]}
    assert (Document.objects.count(), files_in(media)) == (before, stored_files)
