"""`ocop verify-log`: walk the transparency log and report any edited, removed or reordered entry, then replay it and
report any certificate whose row in the table differs from what the log says of it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ocop.certificates import log
from ocop.certificates.models import LogHead


class Command(BaseCommand):
    help = (
        "Check the hash chain of the certificate transparency log and replay it against the certificates table; "
        "exit status 1 when either differs."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        problems = log.verify()
        for problem in problems:
            self.stderr.write(f"#{problem.seq}: {problem.message}")
        states = log.replay()
        for state in states:
            self.stderr.write(state.message)
        if problems or states:
            raise CommandError(
                f"The transparency log is broken ({len(problems)} problem(s)) or the certificates differ from it "
                f"({len(states)} difference(s))."
            )
        head = LogHead.objects.filter(pk=1).first()
        self.stdout.write(self.style.SUCCESS(f"The transparency log is intact: {head.seq if head else 0} entries."))
