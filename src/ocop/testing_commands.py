"""Running management commands in tests as a shell runs them. Django alone: the lowest app's tests (core) use it
too, which may not import `ocop.testing` (it builds records of the domain apps above core)."""

from __future__ import annotations

import io

from django.core.management import CommandError, call_command


def run_command(name: str, *args: str) -> tuple[int, str]:
    """A management command as a shell runs it: its exit status and everything it printed (the error last)."""
    out = io.StringIO()
    try:
        call_command(name, *args, stdout=out, stderr=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue() + str(exc)
    return 0, out.getvalue()
