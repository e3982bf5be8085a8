"""`make bench` and `make bench-pg`: benchmarks on generated data. Each prints its figures, after a line naming the
database it runs on; none is a pass/fail test.

`python -m bench [NAME ...]` runs against a fresh SQLite database under bench/out/ (BENCH_OUT: another folder), or
with BENCH_DATABASE_URL=postgres://… against that PostgreSQL database, dropped and created afresh. The national bench
(`national`, last) loads a data set of its own: in a run with other benches it runs in a process of its own, on a
database of its own (OUT/national/, or the PostgreSQL database's name with "_national").
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

OUT = Path(os.environ.get("BENCH_OUT") or Path(__file__).resolve().parent / "out")  # BENCH_OUT: another folder
ALL = ["import", "search", "log", "certificates", "outlets", "reports", "opendata", "national"]


def _fresh_postgresql(url: str) -> None:
    """Drop and create the database `url` names, from the server's maintenance database; a clear message when no
    PostgreSQL answers."""
    import psycopg

    parts = urlsplit(url)
    name = unquote(parts.path.lstrip("/"))
    if not name or name in ("postgres", "template0", "template1"):
        raise SystemExit(f"BENCH_DATABASE_URL must name a database of the bench's own (it is dropped): {url}")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    try:
        with psycopg.connect(maintenance, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        where = parts.hostname or "localhost"
        raise SystemExit(
            f"PostgreSQL is not answering at {where}:{parts.port or 5432} ({str(exc).strip().splitlines()[0]}).\n"
            "Start it (Debian: service postgresql start) or point BENCH_DATABASE_URL at a running server; "
            "`make bench` runs on SQLite without it."
        ) from None


def _national_apart(url: str | None) -> None:
    """The national bench in a process of its own, on a fresh database of its own."""
    env = {**os.environ, "BENCH_OUT": str(OUT / "national")}
    if url:
        parts = urlsplit(url)
        env["BENCH_DATABASE_URL"] = urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_national"))
    sys.stdout.flush()
    done = subprocess.run([sys.executable, "-m", "bench", "national"], env=env, check=False)
    if done.returncode:
        raise SystemExit(done.returncode)


def main() -> None:
    which = sys.argv[1:] or ALL
    if unknown := [name for name in which if name not in ALL]:
        raise SystemExit(f"unknown bench {', '.join(unknown)}; the benches: {', '.join(ALL)}")
    url = os.environ.get("BENCH_DATABASE_URL")
    if url and url.startswith(("postgres://", "postgresql://")):
        _fresh_postgresql(url)
    shutil.rmtree(OUT, ignore_errors=True)
    (OUT / "data").mkdir(parents=True)
    os.environ["OCOP_DATA_DIR"] = str(OUT / "data")
    os.environ["DATABASE_URL"] = url or f"sqlite:///{OUT / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "ocop.settings"
    os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 50)  # DEBUG off, as deployed: a key is required
    import django

    django.setup()
    from django.core.management import call_command

    from bench import (
        certificates_bench,
        import_bench,
        log_bench,
        national_bench,
        opendata_bench,
        outlets_bench,
        reports_bench,
        search_bench,
    )
    from bench.data import database
    from ocop.places.loader import load_places
    from ocop.registry.reference import load_classification

    call_command("migrate", verbosity=0)
    load_places()
    load_classification()
    call_command("load_criteria", verbosity=0)
    # Pages are rendered as deployed (DEBUG off, hashed static names): the QR pages a history import refreshes too.
    call_command("collectstatic", "--no-input", verbosity=0)
    benches = {
        "import": lambda: import_bench.run(OUT),
        "search": search_bench.run,
        "log": lambda: log_bench.run(OUT),  # it removes what it made: the benches after it find the database as it was
        "certificates": lambda: certificates_bench.run(OUT),
        "outlets": lambda: outlets_bench.run(OUT),
        "reports": lambda: reports_bench.run(OUT),
        "opendata": lambda: opendata_bench.run(OUT),
        "national": lambda: national_bench.run(OUT),
    }
    for name in ALL:
        if name not in which:
            continue
        if name == "national" and len(which) > 1:
            _national_apart(url)
            continue
        print(f"== {name} bench on {database()} ==", flush=True)
        benches[name]()


if __name__ == "__main__":
    main()
