"""One import measurement in a fresh interpreter, so its peak memory is its own (a forked child would count its
parent's pages): `python -m bench.measure import KIND PATH MODE [choose]`, `python -m bench.measure read PATH` or
`python -m bench.measure opendata`.
Prints one JSON line. The database and data directory come from the environment `bench/__main__.py` sets."""

from __future__ import annotations

import json
import resource
import sys
import time


def _peak_kb() -> int:
    """This process's own peak RSS: VmHWM belongs to the memory of this program; ru_maxrss keeps, across exec, the
    peak of the parent that forked it (the bench, after generating its data) when that one is higher."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main() -> None:
    import django

    django.setup()
    from ocop.accounts.services import system_user
    from ocop.core.excel import ExcelError
    from ocop.core.xlsx import read_workbook
    from ocop.registry.importing import Choices
    from ocop.registry.imports import run_import

    what, *args = sys.argv[1:]
    started = time.perf_counter()
    if what == "opendata":  # the open data files rebuilt as the task worker does (bench/opendata_bench.py)
        from ocop.reporting.opendata import write_register

        outcome = dict(write_register())
        outcome["mb"] = sum(outcome.pop("sizes").values()) / 1e6  # as written (meta.json), in any storage
    elif what == "import":
        kind, path, mode, *how = args
        choices = Choices()
        if how == ["choose"]:
            # As a person does on the dry-run page: a dry run, then each place's suggested commune chosen (the first
            # candidate where none is suggested).
            dry = run_import(kind, path, user=system_user(), commit=False, mode=mode)
            choices.places = {
                c.words: next((pk for pk, _code, _name, suggested in c.candidates if suggested), c.candidates[0][0])
                for c in dry.places
                if c.candidates
            }
            outcome = {"dry_seconds": time.perf_counter() - started, "chosen": len(choices.places)}
            started = time.perf_counter()
        else:
            outcome = {}
        report = run_import(kind, path, user=system_user(), commit=True, mode=mode, choices=choices)
        outcome |= {"summary": report.summary(), "committed": report.committed}
    else:
        stats: dict[str, int] = {}
        try:
            sheets = read_workbook(args[0], [None], stats=stats)
            outcome = {"summary": f"read, {len(sheets[None].rows)} rows"}
        except ExcelError as exc:
            outcome = {"summary": f"refused: {exc}"}
        outcome["reader_mb"] = stats.get("peak_kb", 0) / 1024
    outcome["seconds"] = time.perf_counter() - started
    outcome["peak_mb"] = _peak_kb() / 1024
    print(json.dumps(outcome, ensure_ascii=False))


if __name__ == "__main__":
    main()
