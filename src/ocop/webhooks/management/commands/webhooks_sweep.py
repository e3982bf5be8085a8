"""`ocop webhooks_sweep`: the webhooks' daily sweep (the 30 days' notice of ending certificates), also run by the
task worker at each local midnight; run it from cron just after midnight too. Running it twice sends nothing twice."""

from typing import Any

from django.core.management.base import BaseCommand

from ocop.webhooks.events import schedule_sweep, sweep_expiring


class Command(BaseCommand):
    help = "Record the 30 days' notice of ending certificates for webhook subscribers (once per certificate)"

    def handle(self, *args: Any, **options: Any) -> None:
        count = sweep_expiring()
        schedule_sweep()
        self.stdout.write(f"{count} certificate(s) expiring in 30 days notified.")
