"""The planning part of `ocop demo`: Hà Nội's 2024 and 2025 OCOP plans with the targets of the city's plans (about
400 products of 3 stars or more, 5 potential 5-star products, 10 to 20 new sales points, a design centre), and a
few commune targets. Built through the real services; skipped when Hà Nội has plans."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from ocop.accounts.models import User
from ocop.places.models import Commune, Province
from ocop.planning import services
from ocop.planning.models import Plan

PLANS = [
    (2024, "Kế hoạch thực hiện Chương trình OCOP thành phố Hà Nội năm 2024", "21/KH-UBND", dt.date(2024, 1, 22),
     {"rated_3_stars": 400, "referred_5_stars": 5, "sales_points": 20, "design_centres": 1, "fairs": 4}),
    (2025, "Kế hoạch thực hiện Chương trình OCOP thành phố Hà Nội năm 2025", "35/KH-UBND", dt.date(2025, 2, 10),
     {"rated_3_stars": 400, "referred_5_stars": 5, "recognised_5_stars": 2, "sales_points": 10, "design_centres": 1,
      "rerecognitions_due": 150, "rerecognitions_done": 150, "inspections_done": 60, "fairs": 4,
      "trainings_held": 6, "people_trained": 300}),
]  # fmt: skip
COMMUNE_TARGETS = {"Bát Tràng": 12, "Ba Vì": 10, "Chuyên Mỹ": 8}


@transaction.atomic
def build_planning_demo(*, today: dt.date) -> int:
    hanoi = Province.objects.get(code="01")
    if Plan.objects.filter(province=hanoi).exists():
        return 0
    coordinator = User.objects.get(username="coordinator")
    made = 0
    for year, title, number, signed_on, targets in PLANS:
        if year > today.year:
            continue
        plan = services.create_plan(
            by=coordinator, province=hanoi, year=year, title=title, number=number, signed_on=signed_on
        )
        for code, value in targets.items():
            services.set_target(by=coordinator, plan=plan, indicator=code, value=value)
        for name, value in COMMUNE_TARGETS.items():
            commune = Commune.objects.get(province=hanoi, short_name=name)
            services.set_target(by=coordinator, plan=plan, indicator="rated_3_stars", value=value, commune=commune)
        made += 1
    return made
