import datetime as dt

import pytest

from ocop.certificates.enums import IssuingLevel, LegalBasis, Status
from ocop.certificates.rules import Claim, issuing_level_for, legal_basis_for, reader_status, valid_until

D = dt.date


@pytest.mark.parametrize(
    ("issued", "until"),
    [
        (D(2024, 11, 12), D(2027, 11, 12)),  # the Bến Tre certificate of 12/11/2024
        (D(2024, 2, 29), D(2027, 2, 28)),  # no 29 February in 2027: the month's last day
        (D(2025, 1, 31), D(2028, 1, 31)),
        (D(2025, 12, 31), D(2028, 12, 31)),
    ],
)
def test_validity_is_36_months(issued, until):
    assert valid_until(issued) == until


@pytest.mark.parametrize(
    ("signed", "basis"),
    [
        (D(2023, 2, 23), LegalBasis.D1048),
        (D(2023, 2, 24), LegalBasis.D148),
        (D(2025, 7, 5), LegalBasis.D148),
        (D(2025, 7, 6), LegalBasis.D148_1489),
    ],
)
def test_the_legal_basis_follows_the_date(signed, basis):
    assert legal_basis_for(signed) == basis


def test_who_recognises():
    assert issuing_level_for(3, D(2025, 7, 5)) == IssuingLevel.DISTRICT
    assert issuing_level_for(3, D(2025, 7, 6)) == IssuingLevel.PROVINCE
    assert issuing_level_for(4, D(2024, 1, 1)) == IssuingLevel.PROVINCE
    assert issuing_level_for(5, D(2026, 1, 1)) == IssuingLevel.MINISTRY


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (D(2027, 8, 13), Status.VALID),  # 91 days before the last day
        (D(2027, 8, 14), Status.EXPIRING),  # 90 days before
        (D(2027, 11, 11), Status.EXPIRING),
        (D(2027, 11, 12), Status.EXPIRING),  # the last day still counts
        (D(2027, 11, 13), Status.EXPIRED),
    ],
)
def test_what_a_reader_sees_at_each_boundary(today, status):
    assert reader_status("valid", D(2027, 11, 12), today, 90) == status


def test_a_stored_status_wins_over_the_dates():
    assert reader_status("suspended", D(2030, 1, 1), D(2026, 1, 1), 90) == Status.SUSPENDED
    assert reader_status("revoked", D(2020, 1, 1), D(2026, 1, 1), 90) == Status.REVOKED


def test_a_claim_reads_back():
    claim = Claim("01-2025-00001", "ABCDEFGHJK", "Bình gốm | men lam", 4, D(2025, 11, 20), D(2028, 11, 20))
    assert claim.text() == "OCOP1|01-2025-00001|ABCDEFGHJK|Bình gốm / men lam|4|2025-11-20|2028-11-20"
    assert Claim.parse(claim.text()) == Claim(
        "01-2025-00001", "ABCDEFGHJK", "Bình gốm / men lam", 4, D(2025, 11, 20), D(2028, 11, 20)
    )
    with pytest.raises(ValueError):
        Claim.parse("OCOP2|x")
