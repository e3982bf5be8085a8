"""Checks on identifiers, barcodes and phones. Messages name the field, in Vietnamese. (Uploaded files are checked
by ocop.core.uploads.)"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ocop.registry.enums import IdentifierKind, ProducerKind

# re.ASCII: without it \d also matches "٠١٢" and the other scripts' digits, which no identifier is written in.
TAX_CODE = re.compile(r"^\d{10}\Z", re.ASCII)
BRANCH_TAX_CODE = re.compile(r"^\d{10}-\d{3}\Z", re.ASCII)
PERSONAL_ID = re.compile(r"^\d{12}\Z", re.ASCII)
# Household-business registration numbers issued before July 2025 mix digits and letters (e.g. 01A8012345).
REGISTRATION_NUMBER = re.compile(r"^(?=.*\d)(?=.*[A-Z])[0-9A-Z][0-9A-Z./-]{4,19}\Z", re.ASCII)
PHONE = re.compile(r"^(?:\+84|0)\d{9,10}\Z", re.ASCII)


def normalize_identifier(value: str | None) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def classify_identifier(kind: str, value: str) -> str:
    """Return the IdentifierKind of `value` for a producer of `kind`, or raise ValidationError."""
    if kind in (ProducerKind.ENTERPRISE, ProducerKind.COOPERATIVE):
        if TAX_CODE.match(value):
            return IdentifierKind.TAX_CODE
        if BRANCH_TAX_CODE.match(value):
            return IdentifierKind.BRANCH_TAX_CODE
        if not value:
            raise ValidationError(_("A tax code is required for an enterprise or cooperative."), code="required")
        raise ValidationError(
            _("Tax code “%(value)s” must have 10 digits, or 10 digits, a hyphen and 3 digits for a branch."),
            params={"value": value},
            code="invalid",
        )
    if not value:
        if kind == ProducerKind.HOUSEHOLD_BUSINESS:
            raise ValidationError(
                _("A household business needs the owner's 12-digit personal identification number."),
                code="required",
            )
        return IdentifierKind.NONE
    if PERSONAL_ID.match(value):
        return IdentifierKind.PERSONAL_ID
    # Before July 2025 household businesses had 10-digit tax codes; old records keep them.
    if TAX_CODE.match(value):
        return IdentifierKind.TAX_CODE
    if kind != ProducerKind.HOUSEHOLD_BUSINESS and BRANCH_TAX_CODE.match(value):
        return IdentifierKind.BRANCH_TAX_CODE
    if REGISTRATION_NUMBER.match(value):
        return IdentifierKind.REGISTRATION_NUMBER
    if kind == ProducerKind.HOUSEHOLD_BUSINESS:
        raise ValidationError(
            _(
                "“%(value)s” is neither a 12-digit personal identification number nor a "
                "household-business registration number."
            ),
            params={"value": value},
            code="invalid",
        )
    raise ValidationError(
        _("“%(value)s” is not a tax code, personal identification number or registration number."),
        params={"value": value},
        code="invalid",
    )


def normalize_phone(value: str | None) -> str:
    return re.sub(r"[\s.()-]", "", value or "")


def validate_phone(value: str) -> None:
    if value and not PHONE.match(value):
        raise ValidationError(
            _("Phone number “%(value)s” must be 10 or 11 digits starting with 0 or +84."),
            params={"value": value},
            code="invalid",
        )


def gtin_check_digit(body: str) -> str:
    """The GS1 check digit for the digits before it."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def gtin_problem(value: str) -> str | None:
    """Why `value` is not a GTIN: "format" (not 8, 12, 13 or 14 ASCII digits; str.isdigit() also takes "²", which
    int() then refuses), "check_digit" (a wrong GS1 check digit), or None (a GTIN)."""
    if not (value.isascii() and value.isdecimal()) or len(value) not in (8, 12, 13, 14):
        return "format"
    return "check_digit" if gtin_check_digit(value[:-1]) != value[-1] else None


def gtin14(value: str) -> str:
    """A GTIN as GS1 Digital Link writes it: 14 digits (a GTIN-8, -12 or -13 padded with zeros on the left)."""
    return value.zfill(14)


def validate_gtin(value: str) -> None:
    """GTIN-8/12/13/14 with a correct GS1 check digit; ASCII digits only."""
    if not value:
        return
    problem = gtin_problem(value)
    if problem == "format":
        raise ValidationError(
            _("Barcode “%(value)s” must have 8, 12, 13 or 14 digits."), params={"value": value}, code="invalid"
        )
    if problem == "check_digit":
        raise ValidationError(
            _("Barcode “%(value)s” has a wrong check digit."), params={"value": value}, code="invalid"
        )
