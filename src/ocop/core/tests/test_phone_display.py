"""Phone numbers as the pages show them (issue 16: "0948552728" was shown unspaced): one Vietnamese number in the usual
groups of digits, anything else as written."""

import pytest

from ocop.core.phones import phone_display, tel_uri


@pytest.mark.parametrize(
    ("phone", "shown"),
    [
        ("0948552728", "0948 552 728"),  # a mobile number: 4-3-3
        ("0948.552.728", "0948 552 728"),
        (" 0912-345-678 ", "0912 345 678"),
        ("02438261234", "024 3826 1234"),  # Hà Nội's landlines: 3-4-4
        ("(028) 3822-1234", "028 3822 1234"),  # Thành phố Hồ Chí Minh
        ("0236.3822.123", "0236 3822 123"),  # Đà Nẵng: a 4-digit area code, 4-4-3
        ("+84948552728", "+84 948 552 728"),
        ("84 24 3826 1234", "+84 24 3826 1234"),
        ("19001234", "1900 1234"),  # hotlines
        ("1800123456", "1800 123 456"),
        ("0912345678 - 0243826 1234", "0912345678 - 0243826 1234"),  # two numbers: as written
        ("0912345678 (anh Nam)", "0912345678 (anh Nam)"),
        ("+33 1 23 45 67 89", "+33 1 23 45 67 89"),  # a foreign number
        ("09123", "09123"),  # too short to be a number: as written
        ("", ""),
        (None, ""),
    ],
)
def test_a_phone_is_shown_in_groups_of_digits(phone, shown):
    assert phone_display(phone) == shown


def test_the_shown_number_and_its_link_are_the_same_number():
    for phone in ("0948552728", "02438261234", "+84948552728"):
        assert tel_uri(phone_display(phone)) == tel_uri(phone)
