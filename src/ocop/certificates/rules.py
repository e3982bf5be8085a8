"""Pure rules of certificates: validity, who issues, what the signature covers, the status a reader sees."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from ocop.certificates.enums import IssuingLevel, LegalBasis, Status

VALID_MONTHS = 36
D148_FROM = dt.date(2023, 2, 24)  # Decision 148/QĐ-TTg
DISTRICTS_UNTIL = dt.date(2025, 6, 30)  # districts were abolished on 1 July 2025
D1489_FROM = dt.date(2025, 7, 6)  # Decision 1489/QĐ-TTg: two levels, the province recognises 3 and 4 stars
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud or typed from a label
CODE_LENGTH = 10  # 31^10 ≈ 2^49.5
CLAIM_VERSION = "OCOP1"


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def valid_until(issued_on: dt.date) -> dt.date:
    """The last day of validity: 36 months from the decision date, counted as the Civil Code counts months (the
    period starts the next day and ends on the same day of the last month, or that month's last day):
    12/11/2024 → 12/11/2027; 29/02/2024 → 28/02/2027."""
    return add_months(issued_on, VALID_MONTHS)


def legal_basis_for(signed_on: dt.date) -> LegalBasis:
    if signed_on >= D1489_FROM:
        return LegalBasis.D148_1489
    return LegalBasis.D148 if signed_on >= D148_FROM else LegalBasis.D1048


def issuing_level_for(stars: int, signed_on: dt.date) -> IssuingLevel:
    """Who recognises: the ministry for 5 stars; the province for 3 and 4, except 3 stars under Decision 148 as
    first issued (24 Feb 2023 – 5 Jul 2025), a district's. Under 1048 the province recognised 3 and 4 stars (Hà
    Nội's lists of 2019–2022 are the city's); a list's own "level" column overrides this guess."""
    if stars >= 5:
        return IssuingLevel.MINISTRY
    if stars == 3 and D148_FROM <= signed_on < D1489_FROM:
        return IssuingLevel.DISTRICT
    return IssuingLevel.PROVINCE


def reader_status(stored: str, until: dt.date, today: dt.date, warn_days: int) -> Status:
    """What a reader sees today: a stored suspension, revocation or supersession wins; else the dates decide."""
    if stored != Status.VALID:
        return Status(stored)
    if today > until:
        return Status.EXPIRED
    if (until - today).days <= warn_days:
        return Status.EXPIRING
    return Status.VALID


def shows_as_ocop(status: str) -> bool:
    """Only a certificate valid today lets a product be presented as an OCOP product."""
    return status in (Status.VALID, Status.EXPIRING)


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@dataclass(frozen=True)
class Claim:
    """What a certificate's signature covers; its text form is what is signed and carried in the QR."""

    number: str
    code: str
    product: str
    stars: int
    issued_on: dt.date
    valid_until: dt.date

    def text(self) -> str:
        fields = [CLAIM_VERSION, self.number, self.code, self.product.replace("|", "/"), str(self.stars)]
        return "|".join([*fields, self.issued_on.isoformat(), self.valid_until.isoformat()])

    @classmethod
    def parse(cls, text: str) -> Claim:
        parts = text.split("|")
        if len(parts) != 7 or parts[0] != CLAIM_VERSION:
            raise ValueError("not an OCOP Hub claim")
        return cls(
            number=parts[1],
            code=parts[2],
            product=parts[3],
            stars=int(parts[4]),
            issued_on=dt.date.fromisoformat(parts[5]),
            valid_until=dt.date.fromisoformat(parts[6]),
        )
