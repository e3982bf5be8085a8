"""The issuing body of a province's documents and their signers, as Decree 30/2020/NĐ-CP prints them: the settings
row (IssuingBody) when the coordinator has filled it in, else defaults built from the province's name, so a document
of a province no one has set up still prints ("Ủy ban nhân dân Thành phố Hà Nội", as the rest of the project names
it; KT. CHỦ TỊCH / PHÓ CHỦ TỊCH; no name). Documents take a snapshot of these values; a signed decision keeps its
own."""

from __future__ import annotations

from dataclasses import asdict, dataclass
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
        """The number with the kind and symbol of the document: "1187" → "1187/QĐ-UBND" ("12", "TB", office=True
        → "12/TB-VPĐP"); a number that already has them ("1187/QĐ-UBND") is printed as it is."""
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


EDITABLE = tuple(f.name for f in dataclass_fields(Issuer))  # the settings row's fields of the same names


def issuer_from(row: IssuingBody) -> Issuer:
    return Issuer(**{name: getattr(row, name) for name in EDITABLE})


def issuer_for(province: Province) -> Issuer:
    """The issuing body of a province's documents: its settings, else the defaults (never an error)."""
    row = IssuingBody.objects.filter(province=province).first()
    return issuer_from(row) if row is not None else default_issuer(province)


def issuer_snapshot(province: Province) -> dict[str, str]:
    """The issuing body as it is now, to keep on a past event (a meeting held, an inspection recorded)."""
    return asdict(issuer_for(province))


def kept_issuer(snapshot: dict[str, str] | None, province: Province) -> Issuer:
    """The issuing body an event kept (`issuer_snapshot`), else, for events before snapshots were kept, the current
    settings. Keys missing from an older snapshot are taken from the current settings."""
    current = issuer_for(province)
    if not snapshot:
        return current
    return Issuer(**{name: str(snapshot.get(name, getattr(current, name))) for name in EDITABLE})


@transaction.atomic
def save_issuing_body(*, by: Any, province: Province, values: dict[str, str]) -> IssuingBody:
    """Record the issuing body of a province's documents (the caller has checked that `by` is its coordinator:
    roles live above this app). Values arrive clean from a form; the row is made on the first save. Side effects:
    an audit entry with what changed. New documents print these values; issued ones keep their own."""
    clean = {name: values.get(name, "").strip() for name in EDITABLE}
    IssuingBody(province=province, **clean).full_clean(validate_unique=False)  # refused before anything is written
    row, created = IssuingBody.objects.get_or_create(province=province, defaults=clean)  # two first saves: one row
    if created:
        audit.record(
            actor=by, action=AuditAction.CREATE, obj=row, changes=audit.diff({}, audit.snapshot(row, EDITABLE))
        )
        return row
    row = IssuingBody.objects.select_for_update().get(pk=row.pk)
    before = audit.snapshot(row, EDITABLE)
    for name, value in clean.items():
        setattr(row, name, value)
    row.save()
    changes = audit.diff(before, audit.snapshot(row, EDITABLE))
    if changes:
        audit.record(actor=by, action=AuditAction.CHANGE, obj=row, changes=changes)
    return row
