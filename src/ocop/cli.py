"""The `ocop` console command: manage.py for this project."""

from __future__ import annotations

import os
import sys

# Documented command names with a hyphen → the Django command module that runs them.
ALIASES = {"verify-qr": "verify_qr", "verify-log": "verify_log"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    if len(argv) > 1 and argv[1] in ALIASES:
        argv[1] = ALIASES[argv[1]]
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
