"""The planning part of `ocop demo`, relative to `today`: Hà Nội's OCOP plans of last year and this year with the
targets of the city's plans (about 400 products of 3 stars or more, 5 potential 5-star products, 10 to 20 new sales
points, a design centre), and a few commune targets; their progress is read from the demo's rounds, certificates,
outlets, events and inspections. Built through the real services; a year that already has its plan is left as it
is, so running the demo again (on any day) adds nothing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from ocop.accounts.models import User
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
COMMUNE_TARGETS = {"Bát Tràng": 12, "Ba Vì": 10, "Chuyên Mỹ": 8}


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
        for name, value in COMMUNE_TARGETS.items():
            commune = Commune.objects.get(province=hanoi, short_name=name)
            services.set_target(by=coordinator, plan=plan, indicator="rated_3_stars", value=value, commune=commune)
        made += 1
    return made
