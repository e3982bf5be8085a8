"""The planning part of `ocop demo`, relative to `today`: Hà Nội's OCOP plans of last year and this year with the
targets of the city's plans (about 400 products of 3 stars or more, 5 potential 5-star products, 10 to 20 new sales
points, a design centre), and targets for the communes holding the most certificates; their progress is read from
the demo's rounds, certificates, outlets, events and inspections. Built through the real services; a year that
already has its plan is left as it is, so running the demo again (on any day) adds nothing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count

from ocop.accounts.models import User
from ocop.certificates.enums import Status
from ocop.certificates.models import Certificate
from ocop.places.models import Commune, Province
from ocop.planning import services
from ocop.planning.models import Plan

# (years before today's, plan number, signed on (month, day), targets)
PLANS = [
    (1, "35/KH-UBND", (2, 10),
     {"rated_3_stars": 400, "referred_5_stars": 5, "sales_points": 20, "design_centres": 1, "fairs": 4}),
    (0, "28/KH-UBND", (1, 22),
     {"rated_3_stars": 400, "referred_5_stars": 5, "recognised_5_stars": 2, "sales_points": 10, "design_centres": 1,
      "rerecognitions_due": 150, "rerecognitions_done": 150, "inspections_done": 60, "fairs": 4,
      "trainings_held": 6, "people_trained": 300}),
]  # fmt: skip
COMMUNE_TARGETS = {"Bát Tràng": 12, "Ba Vì": 10, "Chuyên Mỹ": 8}  # when no commune holds a certificate yet


def _commune_targets(hanoi: Province, day: dt.date) -> list[tuple[Commune, int]]:
    """The (up to) three communes whose products were recognised with 3 stars or more most often in the year of
    `day`, each asked for a few more than it has (so the plan's page shows progress); the fixed list when none."""
    held = (
        Certificate.objects.filter(
            province=hanoi, status=Status.VALID, stars__gte=3, issued_on__year=day.year, issued_on__lte=day,
            valid_until__gte=day, commune__isnull=False,
        )
        .values("commune")
        .annotate(n=Count("id"))
        .order_by("-n", "commune")[:3]
    )  # fmt: skip
    if held:
        communes = Commune.objects.in_bulk([row["commune"] for row in held])
        return [(communes[row["commune"]], row["n"] * 2 + 2) for row in held]
    return [(Commune.objects.get(province=hanoi, short_name=n), v) for n, v in COMMUNE_TARGETS.items()]


@transaction.atomic
def build_planning_demo(*, today: dt.date) -> int:
    """Returns the number of plans added."""
    hanoi = Province.objects.get(code="01")
    coordinator = User.objects.get(username="coordinator")
    made = 0
    for back, number, (month, day), targets in PLANS:
        year = today.year - back
        if Plan.objects.filter(province=hanoi, year=year).exists():
            continue
        plan = services.create_plan(
            by=coordinator, province=hanoi, year=year, number=number,
            title=f"Kế hoạch thực hiện Chương trình OCOP thành phố Hà Nội năm {year}",
            signed_on=min(dt.date(year, month, day), today),
        )  # fmt: skip
        for code, value in targets.items():
            services.set_target(by=coordinator, plan=plan, indicator=code, value=value)
        for commune, value in _commune_targets(hanoi, min(dt.date(year, 12, 31), today)):
            services.set_target(by=coordinator, plan=plan, indicator="rated_3_stars", value=value, commune=commune)
        made += 1
    return made
