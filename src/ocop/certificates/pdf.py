"""Certificate PDFs (A4 landscape, Vietnamese, with the QR): laid out many to a document, written one per file."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import re
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from ocop.certificates.enums import IssuingLevel
from ocop.certificates.history import issuing_body
from ocop.certificates.models import Certificate, Decision
from ocop.certificates.queries import names_as_certified
from ocop.certificates.signing import payload
from ocop.core.pdf import pages_as_pdfs, render_document
from ocop.core.processes import die_with_parent
from ocop.core.text import place_date
from ocop.places.issuers import Heading, Sign, issuer_for

CHUNK = 25  # pages laid out together: the set-up cost is shared, memory stays bounded


def _place(decision: Any) -> str:
    """Where a document of the issuing body is signed: Hà Nội for the ministry, a former district's decision in the
    district ("Gia Lâm"), else the place set in the province's issuing body settings."""
    if decision.level == "ministry":
        return "Hà Nội"
    if decision.legacy_district_id:
        return str(decision.legacy_district.short_name)
    return issuer_for(decision.province).place


def qr_text(cert: Certificate) -> str:
    return payload(
        base_url=settings.OCOP_PUBLIC_BASE_URL, code=cert.code, claim_text=cert.claim, key_id=cert.key_id,
        signature=cert.signature,
    )  # fmt: skip


def _page(cert: Certificate) -> dict[str, Any]:
    decision = cert.decision
    commune = cert.commune.name + ", " if cert.commune else ""
    issued = cert.issued_on
    product, producer = names_as_certified(cert.pk)  # as signed, whatever the registry says today
    return {
        "number": cert.number,
        "stars": cert.stars,
        "star_range": range(cert.stars),  # drawn, not ★: the administrative face has no star glyph
        "product": product,
        "producer": producer,
        "address": (cert.producer.address + ", " if cert.producer.address else "") + commune + cert.province.name,
        "decision": decision.number,
        "issued": issued.strftime("%d/%m/%Y"),
        "until": cert.valid_until.strftime("%d/%m/%Y"),
        "issuer": decision.issuing_body,
        "heading": Heading(parent="", name=decision.issuing_body),
        "sign": decision_sign(decision),
        "place_date": place_date(_place(decision), issued),
        "code": cert.code,
        "qr": segno.make(qr_text(cert), error="m").svg_inline(scale=2, border=0),
    }


def _related(certs: Iterable[Certificate]) -> list[Certificate]:
    ids = [c.pk for c in certs]
    order = {pk: i for i, pk in enumerate(ids)}
    rows = Certificate.objects.filter(pk__in=ids).select_related(
        "product", "producer", "commune", "province", "decision"
    )
    return sorted(rows, key=lambda c: order[c.pk])


def _chunk_html(chunk: list[Certificate]) -> str:
    with translation.override("vi"):  # a certificate is a Vietnamese legal document, whoever prints it
        return render_to_string("certificates/certificate_pdf.html", {"certs": [_page(c) for c in chunk]})


def render_certificates(
    certs: Iterable[Certificate], progress: Callable[[int], None] | None = None, processes: int = 1
) -> Iterator[tuple[Certificate, bytes]]:
    """Each certificate's own PDF, in order; `progress(done)` after each chunk. With `processes` > 1 the layout
    runs in that many worker processes (WeasyPrint is CPU-bound), the templates here."""
    rows = _related(certs)
    chunks = [rows[start : start + CHUNK] for start in range(0, len(rows), CHUNK)]
    done = 0
    if processes > 1 and len(chunks) > 1:
        context = multiprocessing.get_context("spawn")  # a clean interpreter: no inherited database connections
        # Each layout process dies with the worker that started it (a killed worker leaves no orphan busy on PDFs).
        with ProcessPoolExecutor(max_workers=processes, mp_context=context, initializer=die_with_parent) as pool:
            for chunk, pdfs in zip(chunks, pool.map(pages_as_pdfs, (_chunk_html(c) for c in chunks)), strict=True):
                yield from zip(chunk, pdfs, strict=True)
                done += len(chunk)
                if progress is not None:
                    progress(done)
        return
    for chunk in chunks:
        document = render_document(_chunk_html(chunk))
        for cert, page in zip(chunk, document.pages, strict=True):
            yield cert, document.copy([page]).write_pdf()
        done += len(chunk)
        if progress is not None:
            progress(done)


def certificate_pdf(cert: Certificate) -> bytes:
    return next(render_certificates([cert]))[1]


BASIS = {
    "1048": ["Căn cứ Quyết định số 1048/QĐ-TTg ngày 21/8/2019 của Thủ tướng Chính phủ ban hành Bộ tiêu chí đánh giá, "
             "phân hạng sản phẩm Chương trình Mỗi xã một sản phẩm;"],
    "148": ["Căn cứ Quyết định số 148/QĐ-TTg ngày 24/02/2023 của Thủ tướng Chính phủ ban hành Bộ tiêu chí và quy trình "
            "đánh giá, phân hạng sản phẩm Chương trình Mỗi xã một sản phẩm;"],
    "148+1489": ["Căn cứ Quyết định số 148/QĐ-TTg ngày 24/02/2023 của Thủ tướng Chính phủ ban hành Bộ tiêu chí và quy "
                 "trình đánh giá, phân hạng sản phẩm Chương trình Mỗi xã một sản phẩm, được sửa đổi, bổ sung bởi "
                 "Quyết định số 1489/QĐ-TTg năm 2025 của Thủ tướng Chính phủ;"],
}  # fmt: skip


# Decisions issued before their signature block was kept (signer_title empty) print the block of their level as
# it was printed then.
_PAST_SIGN = {"ministry": ("KT. BỘ TRƯỞNG", "THỨ TRƯỞNG")}
_PAST_PROVINCE_SIGN = ("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")


def decision_sign(decision: Decision) -> Sign:
    """The signature block of a decision (and of its certificates) as the decision was signed."""
    if decision.signer_title:
        return Sign(decision.signer_authority, decision.signer_title, decision.signer)
    authority, title = _PAST_SIGN.get(decision.level, _PAST_PROVINCE_SIGN)
    return Sign(authority, title, decision.signer)


def authority_line(sign: Sign, body: str) -> str:
    """The line naming who decides, above "Căn cứ…" (Decree 30): a decision signed on the chair's (minister's) behalf
    ("KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH") or by the chair himself is the chair's: "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ
    NỘI", "BỘ TRƯỞNG BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG"; one signed for the collective ("TM. ỦY BAN NHÂN DÂN") is the
    body's: "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI"."""
    body = body.upper()
    first = (sign.authority.strip().splitlines() or [""])[0].strip().upper()
    if first.startswith("TM."):
        return body
    if first.startswith(("KT.", "TL.", "TUQ.")):
        return f"{first.split('.', 1)[1].strip()} {body}"
    holder = first or sign.title.strip().upper()  # "CHỦ TỊCH" signing in his own name
    return f"{holder} {body}" if holder else body


def local_government_law(signed_on: dt.date) -> str:
    """The Law on the Organisation of Local Government in force on the day: the 2025 law (72/2025/QH15) from 1 July
    2025, the 2015 law before."""
    day = "16 tháng 6 năm 2025" if signed_on >= dt.date(2025, 7, 1) else "19 tháng 6 năm 2015"
    return f"Căn cứ Luật Tổ chức chính quyền địa phương ngày {day};"


def _signed_place_date(decision: Decision) -> str:
    if decision.signed_on is None:  # a draft: the date is written when it is signed
        return f"{_place(decision)}, ngày     tháng     năm     "
    return place_date(_place(decision), decision.signed_on)


_DOC_NUMBER = re.compile(r"\d+/[^\W_]+(?:-[^\W_]+)+")  # 148/QĐ-TTg, 30/2020/NĐ-CP's tail


def _unbroken_numbers(line: str) -> str:
    """A line of text as HTML whose document numbers ("1489/QĐ-TTg") never break at their hyphen."""
    return mark_safe(_DOC_NUMBER.sub(lambda m: f'<span class="nobr">{m.group()}</span>', escape(line)))  # noqa: S308


def decision_pdf(decision: Decision) -> bytes:
    """The recognition decision in the administrative format of Decree 30/2020/NĐ-CP, with its list of products as
    an annex."""
    items = list(
        decision.certificates.select_related("product", "producer", "commune", "province").order_by("sequence")
    )
    by_stars: dict[int, int] = {}
    for c in items:
        by_stars[c.stars] = by_stars.get(c.stars, 0) + 1
    ministry = decision.level == "ministry"
    signed_on = decision.signed_on or timezone.localdate()  # a draft: as if signed today
    organisation = (
        "Căn cứ Nghị định quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Bộ Nông nghiệp và Môi trường;"
        if ministry
        else local_government_law(signed_on)
    )
    basis = [organisation, *BASIS[decision.legal_basis]]
    if decision.round_id:
        basis.append(
            "Căn cứ kết quả đánh giá, phân hạng của Hội đồng đánh giá, phân hạng sản phẩm OCOP cấp Trung ương;"
            if ministry
            else "Căn cứ kết quả đánh giá, phân hạng của Hội đồng đánh giá, phân hạng sản phẩm OCOP;"
        )
    basis.append(
        "Theo đề nghị của Văn phòng Điều phối nông thôn mới Trung ương."
        if ministry
        else "Theo đề nghị của cơ quan thường trực Chương trình OCOP."
    )
    recipients = (
        ["Như Điều 3", "Ủy ban nhân dân các tỉnh, thành phố có sản phẩm tại Điều 1"]
        if ministry
        # The ministry of the day: MARD before 1 March 2025.
        else ["Như Điều 3", f"{issuing_body(IssuingLevel.MINISTRY, signed_on, '', '')} (để báo cáo)"]
    )
    html = render_to_string(
        "certificates/decision_pdf.html",
        {
            "d": decision,
            "items": items,
            "by_stars": sorted(by_stars.items()),
            "basis": [_unbroken_numbers(line) for line in basis],
            # As signed: the body's name and the number the decision carries, not today's settings.
            "issuer": Heading(parent="", name=decision.issuing_body),
            "number_line": decision.number,
            "place_date": _signed_place_date(decision),
            "sign": decision_sign(decision),
            "authority": authority_line(decision_sign(decision), decision.issuing_body),
            "recipients": recipients,
        },
    )
    return render_document(html).write_pdf()  # type: ignore[no-any-return]
