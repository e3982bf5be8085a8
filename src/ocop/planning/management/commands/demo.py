from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from ocop.certificates.demo import build_certificates_demo, build_history_demo
from ocop.core.bulk import analyze
from ocop.evaluation.central_demo import MINISTRY_USERS, build_central_demo, central_dossiers
from ocop.evaluation.demo import COUNCIL, build_evaluation_demo
from ocop.outlets.demo import build_outlets_demo
from ocop.places.demo import build_issuers_demo
from ocop.planning.demo import build_planning_demo
from ocop.promotion.demo import build_promotion_demo
from ocop.registry.demo import DEMO_PASSWORD, USERS, build_demo, build_import_demo
from ocop.supervision.demo import build_supervision_demo


class Command(BaseCommand):
    help = "Build the Hà Nội demo data set through the real services (safe to run twice)."

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        # The signing keys of the bodies the demo issues for (Hà Nội, the ministry) and of the daily checkpoint: made
        # here, by a command, as on a real installation (docs/deployment.md, Signing keys).
        codes = dict.fromkeys(["01", "TW", settings.OCOP_DEFAULT_PROVINCE])
        call_command("signing_keys", "create", *codes, stdout=self.stdout)
        self.stdout.write(f"Issuing bodies and their signers: {build_issuers_demo()} added (Hà Nội, the ministry).")
        report = build_demo(today=today)
        self.stdout.write(
            f"Demo data: {report.producers} producers, {report.products} products, "
            f"{report.documents} documents, {report.users} users added."
        )
        dossiers = build_evaluation_demo(today=today)
        self.stdout.write(
            f"Evaluation: {dossiers} dossiers added to Hà Nội's rounds of {today.year - 1} (published) and "
            f"{today.year} (open for submissions)."
        )
        build_central_demo(today=today)
        self.stdout.write(f"Central rounds: {central_dossiers()} referral(s) received from the provinces.")
        certificates = build_certificates_demo(today=today)
        self.stdout.write(
            f"Certificates: {certificates.certificates} certificates in {certificates.decisions} decisions."
        )
        self.stdout.write(f"Recognition history: {build_history_demo()}")
        self.stdout.write(f"Producers from a commune's list: {build_import_demo()}")
        outlets = build_outlets_demo(today=today)
        self.stdout.write(
            f"Outlets: {outlets.outlets} outlets ({outlets.recognised} recognised), {outlets.sales_rows} sales rows."
        )
        events = build_promotion_demo(today=today)
        self.stdout.write(f"Trade promotion: {events} events.")
        inspections = build_supervision_demo(today=today)
        self.stdout.write(f"Supervision: {inspections} inspections, consumers' reports.")
        plans = build_planning_demo(today=today)
        self.stdout.write(f"Plans: {plans} yearly plans of Hà Nội with their targets.")
        analyze()  # PostgreSQL's planner counts the rows just loaded (core.bulk.analyze)
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, full_name, role in USERS:
            self.stdout.write(f"  {username:<12} {role.label}  ({full_name})")
        others = ", ".join(u for u, _role, _agency in COUNCIL if u.startswith("council") and u != "council")
        self.stdout.write(f"  council members {others} score with the chair (council)")
        self.stdout.write(
            "  ministry     the ministry's OCOP office (central round, 5-star decisions); its council: "
            + ", ".join(u for u, *_r in MINISTRY_USERS[1:])
        )
