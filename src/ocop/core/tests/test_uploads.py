"""ocop.core.uploads: the type decided by decoding, images re-encoded, PDFs with active content refused, and files
served back as attachments unless they are images. (Through the services and the back-office pages:
ocop.backoffice.tests.test_upload_pages.)"""

import hashlib
import io
import resource
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image

from ocop.core.pdf import tiny_pdf
from ocop.core.tests import upload_samples as samples
from ocop.core.uploads import DOCUMENT_TYPES, IMAGE_TYPES, check_upload, file_response

PIXELS = "Ảnh: ảnh lớn hơn 40 megapixel; hãy thu nhỏ ảnh rồi tải lên lại."
SCRIPT = (
    "Tệp: tệp PDF chứa mã lệnh hoặc thao tác khởi chạy chương trình (%s): hãy in ra một tệp PDF mới rồi tải tệp đó lên."
)


def refusal(data: bytes, allowed=DOCUMENT_TYPES, name="file", label="file") -> tuple[list[str], list[str]]:
    with pytest.raises(ValidationError) as caught:
        check_upload(io.BytesIO(data), allowed=allowed, name=name, label=label)
    errors = caught.value.error_dict[name]
    return [str(e.code) for e in errors], [m for e in errors for m in e.messages]


def _address_space_capped(extra: int):
    """Lower this process's address-space limit to what it uses now plus `extra` bytes, for a `with` block."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    used = next(int(line.split()[1]) * 1024 for line in Path("/proc/self/status").read_text().splitlines()
                if line.startswith("VmSize:"))  # fmt: skip

    class Cap:
        def __enter__(self):
            resource.setrlimit(resource.RLIMIT_AS, (used + extra, hard))

        def __exit__(self, *exc):
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))

    return Cap()


def test_a_30000_by_30000_png_is_refused_on_its_header_without_allocating_its_pixels():
    data = samples.png_declaring(30000, 30000)
    assert len(data) < 100
    # 900 million pixels would take 900 MB to decode; the check runs with 64 MB to spare.
    with _address_space_capped(64 * 1024 * 1024):
        codes, messages = refusal(data, allowed=IMAGE_TYPES, name="image", label="ảnh")
    assert (codes, messages) == (["too_many_pixels"], [PIXELS])


def test_the_pixel_limit_is_checked_before_decoding_and_follows_the_setting(settings):
    # 64 megapixels: under Pillow's own bomb limit (89), over ours (40). Its data is empty, so decoding it would fail:
    # a "too many pixels" answer proves the header was judged first.
    data = samples.png_declaring(8000, 8000)
    assert refusal(data, allowed=IMAGE_TYPES, name="image", label="ảnh") == (["too_many_pixels"], [PIXELS])
    settings.OCOP_UPLOAD_MAX_PIXELS = 100_000_000
    assert refusal(data, allowed=IMAGE_TYPES, name="image", label="ảnh") == (
        ["damaged_image"], ["Ảnh: không đọc được ảnh (tệp bị hỏng hoặc không đầy đủ)."]
    )  # fmt: skip


def test_a_cut_image_is_refused_even_after_weasyprint_allows_cut_images(settings):
    import weasyprint  # noqa: F401  (on import it sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process)
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    settings.OCOP_UPLOAD_MAX_PIXELS = 100_000_000
    assert refusal(samples.png_declaring(8000, 8000), allowed=IMAGE_TYPES, name="image", label="ảnh") == (
        ["damaged_image"], ["Ảnh: không đọc được ảnh (tệp bị hỏng hoặc không đầy đủ)."]
    )  # fmt: skip
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # WeasyPrint's setting is given back


def test_a_png_followed_by_html_is_stored_as_the_clean_re_encoding():
    checked = check_upload(io.BytesIO(samples.png_then_html()), allowed=IMAGE_TYPES, name="image", label="ảnh")
    assert (checked.extension, checked.content_type) == ("png", "image/png")
    assert b"<html" not in checked.content and b"script" not in checked.content
    clean = io.BytesIO()
    samples.picture().save(clean, "PNG")
    assert checked.content == clean.getvalue()
    assert checked.content.endswith(b"IEND\xaeB`\x82")
    assert checked.sha256 == hashlib.sha256(checked.content).hexdigest() and checked.size == len(checked.content)


def test_a_jpeg_loses_its_exif_and_gps_and_keeps_its_orientation():
    original = samples.jpeg_with_gps(orientation=6)
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif().get_ifd(0x8825) == samples.GPS and before.size == (40, 20)
    checked = check_upload(io.BytesIO(original), allowed=DOCUMENT_TYPES, name="file", label="file")
    assert (checked.extension, checked.content_type) == ("jpg", "image/jpeg")
    with Image.open(io.BytesIO(checked.content)) as after:
        assert after.format == "JPEG"
        assert dict(after.getexif()) == {} and "exif" not in after.info
        assert after.size == (20, 40)  # turned upright: the picture is now portrait
        # the red half, turned 90° clockwise, is on top
        rgb = after.convert("RGB")
        red, blue = rgb.getpixel((10, 5)), rgb.getpixel((10, 35))
        assert isinstance(red, tuple) and isinstance(blue, tuple)
        assert red[0] > 150 > red[2] and blue[2] > 150 > blue[0]
    assert b"PhoneMaker" not in checked.content and b"Exif" not in checked.content


@pytest.mark.parametrize(
    ("data", "code", "message"),
    [
        (samples.pdf_open_action_script(), "pdf_active", SCRIPT % "JavaScript"),
        (samples.pdf_launch(), "pdf_active", SCRIPT % "Launch"),
        (samples.pdf_script_name_tree_escaped(), "pdf_active", SCRIPT % "JavaScript"),
        (samples.pdf_embedded_file(), "pdf_embedded",
         "Tệp: tệp PDF có tệp khác đính kèm bên trong: hãy tải lên tệp PDF không có tệp đính kèm."),
        (samples.pdf_deeply_nested(), "damaged_pdf",
         "Tệp: không đọc được tệp PDF (tệp bị hỏng hoặc quá phức tạp): hãy lưu lại thành PDF rồi tải lên."),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n", "damaged_pdf",
         "Tệp: không đọc được tệp PDF (tệp bị hỏng hoặc quá phức tạp): hãy lưu lại thành PDF rồi tải lên."),
    ],
    ids=["open-action-javascript", "launch", "escaped-name-tree-javascript", "embedded-file", "nested", "truncated"],
)  # fmt: skip
def test_pdfs_with_active_content_or_that_do_not_parse_are_refused_naming_the_field(data, code, message):
    assert refusal(data, label="tệp") == ([code], [message])


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (samples.pdf_xfa_form(), "XFA"),
        (samples.pdf_open_action_uri(), "URI"),
        (samples.pdf_page_submit_form(), "SubmitForm"),
    ],
    ids=["xfa", "open-action-uri", "page-submit-form"],
)
def test_pdfs_that_act_on_their_own_are_refused(data, what):
    assert refusal(data, label="tệp") == (["pdf_active"], [SCRIPT % what])


def test_a_pdf_with_a_plain_link_is_kept_and_a_polyglot_is_not_a_pdf():
    linked = samples.pdf_with_a_link()
    checked = check_upload(io.BytesIO(linked), allowed=DOCUMENT_TYPES, name="file", label="file")
    assert (checked.content, checked.extension) == (linked, "pdf")
    assert refusal(samples.html_then_pdf(), label="tệp")[0] == ["bad_type"]


def test_a_clean_pdf_is_kept_byte_for_byte():
    data = tiny_pdf(["Giấy chứng nhận ATTP"])
    checked = check_upload(io.BytesIO(data), allowed=DOCUMENT_TYPES, name="file", label="file")
    assert (checked.content, checked.extension, checked.content_type) == (data, "pdf", "application/pdf")


def test_the_type_comes_from_the_content_not_the_name_and_the_size_is_checked_first(settings):
    text = b"Day la mot tep van ban, khong phai anh.\n" * 3
    assert refusal(text, allowed=IMAGE_TYPES, name="image", label="ảnh") == (
        ["bad_type"], ["Ảnh: chỉ nhận tệp JPG, PNG; nội dung tệp này không thuộc các loại đó."]
    )  # fmt: skip
    # a PDF where only photos are taken is no photo
    assert refusal(tiny_pdf(["test"]), allowed=IMAGE_TYPES, name="image", label="ảnh")[0] == ["bad_type"]
    assert refusal(b"", label="tệp") == (["empty"], ["Tệp: tệp rỗng."])
    settings.OCOP_UPLOAD_MAX_BYTES = 100
    assert refusal(samples.png_declaring(30000, 30000) + b"\0" * 100, label="tệp") == (
        ["too_large"], ["Tệp: tệp có dung lượng 0,0 MB; giới hạn là 0 MB."]
    )  # fmt: skip


def test_files_are_served_as_attachments_unless_they_are_images():
    pdf = file_response(
        ContentFile(tiny_pdf(["test"]), name="x.pdf"), content_type="application/pdf", filename="giấy.pdf"
    )
    assert (pdf["Content-Type"], pdf["X-Content-Type-Options"]) == ("application/pdf", "nosniff")
    assert pdf["Content-Disposition"] == "attachment; filename*=utf-8''gi%E1%BA%A5y.pdf"
    png = file_response(ContentFile(samples.png_bytes(), name="photo_a.png"), content_type="image/png")
    assert (png["Content-Type"], png["X-Content-Type-Options"]) == ("image/png", "nosniff")
    assert png["Content-Disposition"] == 'inline; filename="photo_a.png"'
    renamed = file_response(
        ContentFile(tiny_pdf(["test"]), name="x.pdf"), content_type="application/pdf", filename="report.html"
    )
    assert renamed["Content-Disposition"] == 'attachment; filename="report.pdf"'  # named by what it was decoded as
    photo = file_response(ContentFile(samples.png_bytes(), name="p.png"), content_type="image/png", filename="a.html")
    assert photo["Content-Disposition"] == 'inline; filename="a.png"'
    odd = file_response(ContentFile(b"<svg/>", name="a.svg"), content_type="image/svg+xml")
    assert odd["Content-Disposition"] == 'attachment; filename="a.svg"'
