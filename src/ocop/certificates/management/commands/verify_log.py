"""`ocop verify-log`: walk the transparency log and report any edited, removed or reordered entry, then replay it and
report any certificate whose row in the table differs from what the log says of it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

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
                _("The transparency log has %(problems)s problem(s) and the certificates %(states)s difference(s) "
                  "from it.") % {"problems": len(problems), "states": len(states)}
            )  # fmt: skip
        head = LogHead.objects.filter(pk=1).first()
        self.stdout.write(
            self.style.SUCCESS(
                _("The transparency log is intact and matches the certificates: %(n)s entries.")
                % {"n": head.seq if head else 0}
            )
        )
