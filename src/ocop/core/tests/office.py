"""Opening a workbook the way an official does: LibreOffice Calc (headless) saves each sheet as the CSV of what its
cells show, and prints the workbook to PDF.

Each conversion runs with a profile of its own (parallel runs never share one) whose locale is Vietnamese (vi-VN):
numbers then show as a Vietnamese office sees them, 201.234.567 ₫ and 1.234, and dates by their own format,
04/12/2026. Installed in CI from Debian's libreoffice-calc-nogui (.ci/test).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

SOFFICE = shutil.which("soffice") or "soffice"
TIMEOUT = 180  # seconds; a first start of a fresh profile takes a few
LOCALE = "vi-VN"
# CSV filter options: comma, double quote, UTF-8 (76), from line 1, no column types, no language, quoted text no,
# detect special numbers yes, save cell contents AS SHOWN yes, formulas no, spaces kept, every sheet (-1) to a file.
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"
PROFILE = f"""<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">
<value>{LOCALE}</value></prop></item>
</oor:items>
"""


@dataclass(frozen=True)
class Printed:
    csv: dict[str, str]  # sheet name → its CSV text
    pdf: PdfReader

    @property
    def pdf_text(self) -> str:
        """The PDF's text with runs of white space as one space (a wrapped cell breaks its text into lines)."""
        return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in self.pdf.pages))


def _soffice(work: Path, target: str, source: Path) -> None:
    profile = work / "profile"
    if not profile.exists():
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(PROFILE, "utf-8")
    out = work / "out"
    subprocess.run(  # noqa: S603  # LibreOffice on our own file
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--convert-to", target,
         "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=TIMEOUT,
    )  # fmt: skip


def open_in_libreoffice(data: bytes, work: Path, name: str = "book") -> Printed:
    """Save `data` as `name`.xlsx under `work`, convert it to CSV (every sheet) and to PDF."""
    work.mkdir(parents=True, exist_ok=True)
    source = work / f"{name}.xlsx"
    source.write_bytes(data)
    _soffice(work, CSV_FILTER, source)
    _soffice(work, "pdf", source)
    out = work / "out"
    csv = {path.stem.removeprefix(f"{name}-"): path.read_text("utf-8") for path in out.glob(f"{name}-*.csv")}
    if not csv and (out / f"{name}.csv").exists():  # a workbook of one sheet may be saved under its own name
        csv = {"": (out / f"{name}.csv").read_text("utf-8")}
    return Printed(csv=csv, pdf=PdfReader(out / f"{name}.pdf"))


def assert_readable(printed: Printed) -> None:
    """Nothing shown as ### (a column too narrow for its number or date) nor in exponent notation (2,01E+08), in the
    CSV or on paper; every page A4 landscape (842 × 595 pt)."""
    for sheet, text in printed.csv.items():
        assert "###" not in text, sheet
        assert not re.search(r"\d[.,]?\d*E[+-]\d", text), sheet
    assert "###" not in printed.pdf_text
    assert not re.search(r"\d[.,]?\d*E[+-]\d", printed.pdf_text)
    for page in printed.pdf.pages:
        box = page.mediabox
        assert (abs(float(box.width) - 842) <= 1, abs(float(box.height) - 595) <= 1) == (True, True)
