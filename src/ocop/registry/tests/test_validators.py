import io

import pytest
from django.core.exceptions import ValidationError

from ocop.registry.enums import IdentifierKind, ProducerKind
from ocop.registry.validators import DOCUMENT_TYPES, classify_identifier, sniff_upload, validate_gtin
from ocop.testing import PNG_BYTES, pdf_bytes


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        (ProducerKind.ENTERPRISE, "0101234567", IdentifierKind.TAX_CODE),
        (ProducerKind.COOPERATIVE, "0101234567-001", IdentifierKind.BRANCH_TAX_CODE),
        (ProducerKind.HOUSEHOLD_BUSINESS, "001190012345", IdentifierKind.PERSONAL_ID),
        (ProducerKind.HOUSEHOLD_BUSINESS, "01A8012345", IdentifierKind.REGISTRATION_NUMBER),
        (ProducerKind.HOUSEHOLD_BUSINESS, "0101234567", IdentifierKind.TAX_CODE),
        (ProducerKind.COOPERATIVE_GROUP, "", IdentifierKind.NONE),
        (ProducerKind.OTHER, "", IdentifierKind.NONE),
    ],
)
def test_identifier_accepted(kind, value, expected):
    assert classify_identifier(kind, value) == expected


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        (ProducerKind.ENTERPRISE, ""),
        (ProducerKind.ENTERPRISE, "012345678"),
        (ProducerKind.ENTERPRISE, "0101234567-01"),
        (ProducerKind.COOPERATIVE, "001190012345"),
        (ProducerKind.HOUSEHOLD_BUSINESS, ""),
        (ProducerKind.HOUSEHOLD_BUSINESS, "00119001234"),
        (ProducerKind.HOUSEHOLD_BUSINESS, "0101234567-001"),
    ],
)
def test_identifier_refused(kind, value):
    with pytest.raises(ValidationError):
        classify_identifier(kind, value)


def test_gtin_check_digit():
    validate_gtin("8934588012228")
    validate_gtin("")
    with pytest.raises(ValidationError):
        validate_gtin("8934588012229")
    with pytest.raises(ValidationError):
        validate_gtin("89345880")  # wrong check digit for GTIN-8
    with pytest.raises(ValidationError):
        validate_gtin("12345")


@pytest.mark.parametrize("value", ["893458801222²", "٨٩٣٤٥٨٨٠١٢٢٢٨", "8934588012228\n", "²²²²²²²²"])
def test_a_gtin_is_ascii_digits_only(value):
    with pytest.raises(ValidationError) as caught:
        validate_gtin(value)
    assert caught.value.messages == [f"Mã vạch “{value}” phải có 8, 12, 13 hoặc 14 chữ số."]


@pytest.mark.parametrize(
    ("kind", "value"),
    [("enterprise", "٠١٠٢٣٤٥٦٧٨"), ("enterprise", "0102345678\n"), ("household_business", "٠٠١٢٠٣٠٠٤٥٦٧")],
)
def test_identifiers_in_other_scripts_digits_are_refused(kind, value):
    with pytest.raises(ValidationError):
        classify_identifier(kind, value)


def test_upload_type_comes_from_content_not_name(settings):
    assert sniff_upload(io.BytesIO(pdf_bytes()), allowed=DOCUMENT_TYPES, size=100) == ("pdf", "application/pdf")
    assert sniff_upload(io.BytesIO(PNG_BYTES), allowed=DOCUMENT_TYPES, size=100) == ("png", "image/png")
    with pytest.raises(ValidationError) as exc:
        sniff_upload(io.BytesIO(b"MZ\x90\x00 not a pdf at all"), allowed=DOCUMENT_TYPES, size=100)
    assert exc.value.code == "bad_type"
    with pytest.raises(ValidationError) as exc:
        sniff_upload(io.BytesIO(pdf_bytes()), allowed=DOCUMENT_TYPES, size=settings.OCOP_UPLOAD_MAX_BYTES + 1)
    assert exc.value.code == "too_large"
