"""The issuing body of a province's documents and their signers, as Decree 30/2020/NĐ-CP prints them: the settings
row (IssuingBody) when the coordinator has filled it in, else defaults built from the province's name, so a document
of a province no one has set up still prints ("Ủy ban nhân dân Thành phố Hà Nội", as the rest of the project names
it; KT. CHỦ TỊCH / PHÓ CHỦ TỊCH; no name). Documents take a snapshot of these values; a signed decision keeps its
own."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from typing import Any

from django.db import transaction

from ocop.core import audit
from ocop.core.models import AuditAction
from ocop.places.models import IssuingBody, Province

MINISTRY = "Bộ Nông nghiệp và Môi trường"


@dataclass(frozen=True)
class Sign:
    """A signature block: authority line ("KT. CHỦ TỊCH", may be empty), title ("PHÓ CHỦ TỊCH"), name."""

    authority: str
    title: str
    name: str


@dataclass(frozen=True)
class Heading:
    """The left of a document's heading: the body above (regular capitals, may be empty) and the body itself."""

    parent: str
    name: str


@dataclass(frozen=True)
class Issuer:
    parent: str
    name: str
    symbol: str  # "UBND": decisions are numbered "1187/QĐ-UBND"
    place: str  # "Hà Nội", in "Hà Nội, ngày 04 tháng 12 năm 2026"
    signer_authority: str
    signer_title: str
    signer_name: str
    office_name: str
    office_symbol: str
    office_signer_authority: str
    office_signer_title: str
    office_signer_name: str

    @property
    def sign(self) -> Sign:
        return Sign(self.signer_authority, self.signer_title, self.signer_name)

    @property
    def office_sign(self) -> Sign:
        return Sign(self.office_signer_authority, self.office_signer_title, self.office_signer_name)

    @property
    def office_heading(self) -> Heading:
        """The standing office's documents: the office under its People's Committee (or ministry)."""
        return Heading(parent=self.name, name=self.office_name)

    def number_line(self, number: str, kind: str = "QĐ", *, office: bool = False) -> str:
        """ "1187/QĐ-UBND"; a number that already carries its symbol ("TW-2026-1") is printed as it is."""
        symbol = self.office_symbol if office else self.symbol
        if not number or "/" in number or not symbol:
            return number
        return f"{number}/{kind}-{symbol}"


def default_issuer(province: Province) -> Issuer:
    """What a province's documents carry before its coordinator has set the issuing body up."""
    if province.central:
        return Issuer(
            parent="", name=MINISTRY, symbol="BNNMT", place="Hà Nội",
            signer_authority="KT. BỘ TRƯỞNG", signer_title="THỨ TRƯỞNG", signer_name="",
            office_name="Văn phòng Điều phối nông thôn mới Trung ương", office_symbol="VPĐP",
            office_signer_authority="", office_signer_title="CHÁNH VĂN PHÒNG", office_signer_name="",
        )  # fmt: skip
    unit = province.name[:1].lower() + province.name[1:]  # "thành phố Hà Nội", "tỉnh Lào Cai"
    return Issuer(
        parent="", name=f"Ủy ban nhân dân {province.name}", symbol="UBND", place=province.short_name,
        signer_authority="KT. CHỦ TỊCH", signer_title="PHÓ CHỦ TỊCH", signer_name="",
        office_name=f"Văn phòng Điều phối nông thôn mới {unit}", office_symbol="VPĐP",
        office_signer_authority="", office_signer_title="CHÁNH VĂN PHÒNG", office_signer_name="",
    )  # fmt: skip


def issuer_from(row: IssuingBody) -> Issuer:
    return Issuer(
        parent=row.parent, name=row.name, symbol=row.symbol, place=row.place,
        signer_authority=row.signer_authority, signer_title=row.signer_title, signer_name=row.signer_name,
        office_name=row.office_name, office_symbol=row.office_symbol,
        office_signer_authority=row.office_signer_authority, office_signer_title=row.office_signer_title,
        office_signer_name=row.office_signer_name,
    )  # fmt: skip


def issuer_for(province: Province) -> Issuer:
    """The issuing body of a province's documents: its settings, else the defaults (never an error)."""
    row = IssuingBody.objects.filter(province=province).first()
    return issuer_from(row) if row is not None else default_issuer(province)


EDITABLE = tuple(f.name for f in dataclass_fields(Issuer))


@transaction.atomic
def save_issuing_body(*, by: Any, province: Province, values: dict[str, str]) -> IssuingBody:
    """Record the issuing body of a province's documents (the caller has checked that `by` is its coordinator:
    roles live above this app). Values arrive clean from a form; the row is made on the first save. Side effects:
    an audit entry with what changed. New documents print these values; issued ones keep their own."""
    row = IssuingBody.objects.select_for_update().filter(province=province).first()
    before = audit.snapshot(row, EDITABLE) if row is not None else {}
    if row is None:
        row = IssuingBody(province=province)
    for name in EDITABLE:
        setattr(row, name, values.get(name, "").strip())
    row.full_clean()
    row.save()
    changes = audit.diff(before, audit.snapshot(row, EDITABLE))
    if changes:
        action = AuditAction.CHANGE if before else AuditAction.CREATE
        audit.record(actor=by, action=action, obj=row, changes=changes)
    return row
