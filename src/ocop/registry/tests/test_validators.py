import pytest
from django.core.exceptions import ValidationError

from ocop.registry.enums import IdentifierKind, ProducerKind
from ocop.registry.validators import classify_identifier, validate_gtin


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
