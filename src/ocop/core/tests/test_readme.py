"""The README and docs stand on their own, and `make run`'s port reaches the QR codes."""

import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
LINK = re.compile(r"\]\(([^)#\s]+)[^)]*\)|(?<![\w/.])(\.\./[\w./-]+)")


def test_readme_and_docs_point_only_inside_the_repository():
    outside, missing = [], []
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for match in LINK.finditer(doc.read_text(encoding="utf-8")):
            target = match.group(1) or match.group(2)
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            path = (doc.parent / target).resolve()
            if not path.is_relative_to(ROOT):
                outside.append(f"{doc.name}: {target}")
            elif not path.exists():
                missing.append(f"{doc.name}: {target}")
    assert (outside, missing) == ([], [])


def test_make_run_port_is_the_public_base_url(monkeypatch):
    monkeypatch.delenv("OCOP_PUBLIC_BASE_URL", raising=False)
    out = subprocess.run(  # noqa: S603  # our own Makefile
        [shutil.which("make") or "make", "-s", "--no-print-directory", "base-url", "PORT=8110"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert out.stdout.strip().splitlines()[-1] == "http://127.0.0.1:8110"
