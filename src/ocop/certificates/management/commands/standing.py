"""`ocop standing`: rebuild today's kept rows of valid certificates (`certificates.standing`) from the history, as
cron does just after midnight, first saying how many rows differed from the history (anything but 0 means something
was written past the services since they were last brought up to date). `--verify` only compares: exit status 1 when
any row differs, and nothing is written but bringing the rows up to the log."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.certificates import standing


class Command(BaseCommand):
    help = (
        "Rebuild today's rows of valid certificates, which the dashboards count, from the certificates' history "
        "(nightly); --verify compares them with the history instead, exit status 1 when any differs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--verify", action="store_true", help="compare only; exit status 1 when any row differs")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        missing, extra = standing.verify(today)
        for row in sorted(missing):
            self.stderr.write(_("certificate #%(pk)s: valid today by its history, not counted") % {"pk": row[0]})
        for row in sorted(extra):
            self.stderr.write(_("certificate #%(pk)s: counted, not so by its history") % {"pk": row[0]})
        differ = len({row[0] for row in missing | extra})
        if options["verify"]:
            if differ:
                raise CommandError(
                    _("%(n)s certificate(s) counted differently from their history on %(day)s")
                    % {"n": differ, "day": f"{today:%d/%m/%Y}"}
                )
            self.stdout.write(_("standing: the rows of %(day)s agree with the history") % {"day": f"{today:%d/%m/%Y}"})
            return
        count = standing.rebuild(today)
        self.stdout.write(
            _("standing: %(count)s certificate(s) valid on %(day)s; %(differ)s differed from the history")
            % {"count": count, "day": f"{today:%d/%m/%Y}", "differ": differ}
        )
