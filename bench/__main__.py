"""`make bench`: benchmarks on generated data. Each prints its figures; none is a pass/fail test.

Runs against a fresh SQLite database under bench/out/ (or BENCH_DATABASE_URL).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

OUT = Path(os.environ.get("BENCH_OUT") or Path(__file__).resolve().parent / "out")  # BENCH_OUT: another folder


def main() -> None:
    shutil.rmtree(OUT, ignore_errors=True)
    (OUT / "data").mkdir(parents=True)
    os.environ["OCOP_DATA_DIR"] = str(OUT / "data")
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{OUT / 'bench.sqlite3'}")
    os.environ["DJANGO_SETTINGS_MODULE"] = "ocop.settings"
    os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 50)  # DEBUG off, as deployed: a key is required
    import django

    django.setup()
    from django.core.management import call_command

    from bench import (
        certificates_bench,
        import_bench,
        log_bench,
        opendata_bench,
        outlets_bench,
        reports_bench,
        search_bench,
    )
    from ocop.places.loader import load_places
    from ocop.registry.reference import load_classification

    call_command("migrate", verbosity=0)
    load_places()
    load_classification()
    call_command("load_criteria", verbosity=0)
    # Pages are rendered as deployed (DEBUG off, hashed static names): the QR pages a history import refreshes too.
    call_command("collectstatic", "--no-input", verbosity=0)
    which = sys.argv[1:] or ["import", "search", "log", "certificates", "outlets", "reports", "opendata"]
    if "import" in which:
        import_bench.run(OUT)
    if "search" in which:
        search_bench.run()
    if "log" in which:
        log_bench.run(OUT)  # it removes what it made, so the benches after it find the database as before
    if "certificates" in which:
        certificates_bench.run(OUT)
    if "outlets" in which:
        outlets_bench.run(OUT)
    if "reports" in which:
        reports_bench.run(OUT)
    if "opendata" in which:
        opendata_bench.run(OUT)


if __name__ == "__main__":
    main()
