"""Demo issuing bodies: Hà Nội's People's Committee and the ministry, with their signers and standing offices (the
names of the demo's documents). Made once; a coordinator's later edits are left alone."""

from __future__ import annotations

from ocop.places.issuers import save_issuing_body
from ocop.places.models import IssuingBody, Province
from ocop.places.queries import central_level

DEMO_BODIES = {
    "01": {
        "parent": "", "name": "Ủy ban nhân dân thành phố Hà Nội", "symbol": "UBND", "place": "Hà Nội",
        "signer_authority": "KT. CHỦ TỊCH", "signer_title": "PHÓ CHỦ TỊCH", "signer_name": "Nguyễn Mạnh Quyền",
        "office_name": "Văn phòng Điều phối nông thôn mới thành phố Hà Nội", "office_symbol": "VPĐP",
        "office_signer_authority": "", "office_signer_title": "CHÁNH VĂN PHÒNG", "office_signer_name": "Ngô Văn Ngọc",
    },
    "central": {
        "parent": "", "name": "Bộ Nông nghiệp và Môi trường", "symbol": "BNNMT", "place": "Hà Nội",
        "signer_authority": "KT. BỘ TRƯỞNG", "signer_title": "THỨ TRƯỞNG", "signer_name": "Trần Văn Bình",
        "office_name": "Văn phòng Điều phối nông thôn mới Trung ương", "office_symbol": "VPĐP",
        "office_signer_authority": "", "office_signer_title": "CHÁNH VĂN PHÒNG", "office_signer_name": "Lê Minh Hải",
    },
}  # fmt: skip


def build_issuers_demo() -> int:
    """The demo's issuing bodies; returns how many were added (0 on a second run)."""
    added = 0
    for key, values in DEMO_BODIES.items():
        province = central_level() if key == "central" else Province.objects.filter(code=key).first()
        if province is None or IssuingBody.objects.filter(province=province).exists():
            continue
        save_issuing_body(by=None, province=province, values=values)
        added += 1
    return added
