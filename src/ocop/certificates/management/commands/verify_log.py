"""`ocop verify-log`: walk the transparency log and report any edited, removed or reordered entry, then replay it and
report any certificate whose row in the table differs from what the log says of it, and compare the log with the
signed checkpoints (those made here, and with --checkpoints those saved earlier by anyone).

Exit status: 0 all agree, 1 tampering found, 2 a --checkpoints file or address that is not one (nothing else is
checked then). It only reads: nothing is ever written to the database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from ocop.certificates import checkpoints, log
from ocop.certificates.models import LogHead

NOT_CHECKPOINTS = 2


class Command(BaseCommand):
    help = (
        "Check the hash chain of the certificate transparency log, replay it against the certificates table and "
        "compare it with signed checkpoints; exit status 1 when any differs, 2 when a --checkpoints file is not one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoints", action="append", default=[], metavar="FILE_OR_URL",
            help="checkpoints saved from /api/v1/transparency-log/checkpoints (a file, or an http(s) address); "
                 "may be given several times",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        kept = self._kept(options["checkpoints"])
        problems = log.verify()
        for problem in problems:
            self.stderr.write(f"#{problem.seq}: {problem.message}")
        states = log.replay()
        for state in states:
            self.stderr.write(state.message)
        # The installation's own checkpoints too: a rewrite by someone with the database but not the keys shows.
        ours = checkpoints.published()
        every = list(dict.fromkeys(ours + kept))
        marks = checkpoints.verify_against(every)
        for mark in marks:
            self.stderr.write(f"#{mark.seq}: {mark.message}")
        if problems or states or marks:
            message = _(
                "The transparency log has %(problems)s problem(s) and the certificates %(states)s difference(s) "
                "from it."
            ) % {"problems": len(problems), "states": len(states)}  # fmt: skip
            if marks:
                message += " " + _("%(marks)s checkpoint problem(s) among the %(n)s signed checkpoints.") % {
                    "marks": len(marks), "n": len(every)}  # fmt: skip
            raise CommandError(message)
        head = LogHead.objects.filter(pk=1).first()
        self.stdout.write(
            self.style.SUCCESS(
                _("The transparency log is intact and matches the certificates: %(n)s entries.")
                % {"n": head.seq if head else 0}
            )
        )
        if every:
            self.stdout.write(self.style.SUCCESS(
                _("It matches the %(n)s signed checkpoint(s) (%(kept)s from the files given), the oldest of %(at)s.")
                % {"n": len(every), "kept": len(set(kept)), "at": min(c.at for c in every)}
            ))  # fmt: skip

    def _kept(self, sources: list[str]) -> list[checkpoints.Saved]:
        """The checkpoints saved by others, each signed with its body's published key; else exit 2, naming why."""
        kept: list[checkpoints.Saved] = []
        for source in sources:
            try:
                loaded = checkpoints.load(source)
            except checkpoints.CheckpointFileError as exc:
                raise CommandError(str(exc), returncode=NOT_CHECKPOINTS) from exc
            forged = checkpoints.signature_problems(loaded)
            for problem in forged:
                self.stderr.write(f"#{problem.seq}: {problem.message}")
            if forged:
                raise CommandError(
                    _("%(source)s is not a file of genuine checkpoints: %(n)s of its %(total)s checkpoints are not "
                      "signed by a published key; nothing was checked against it.")
                    % {"source": source, "n": len(forged), "total": len(loaded)},
                    returncode=NOT_CHECKPOINTS,
                )  # fmt: skip
            kept += loaded
        return kept
