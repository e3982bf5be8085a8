from typing import Any

from django.core.management.base import BaseCommand

from ocop.registry.demo import DEMO_PASSWORD, USERS, build_demo


class Command(BaseCommand):
    help = "Build the Hà Nội demo data set through the real services (safe to run twice)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = build_demo()
        self.stdout.write(
            f"Demo data: {report.producers} producers, {report.products} products, "
            f"{report.documents} documents, {report.users} users added."
        )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, full_name, role in USERS:
            self.stdout.write(f"  {username:<12} {role.label}  ({full_name})")
