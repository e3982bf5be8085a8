"""Test helpers of the evaluation app for the apps above it: a council's result as the scoring services leave it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ocop.evaluation.enums import DossierState, RoundLevel
from ocop.evaluation.models import Council, CriteriaVersion, Dossier, Result, Round
from ocop.places.queries import central_level
from ocop.registry.models import Product


def council_result(product: Product, stars: int, *, central: bool = False, published: bool = True) -> Any:
    """A council's published result for a product (a province council's, or the ministry's central one), as the
    scoring services leave it: for tests of what comes after the council (decisions, certificates, reports)."""
    body = central_level() if central else product.province
    round_, _made = Round.objects.get_or_create(
        province=body, year=2025, number=1, level=RoundLevel.CENTRAL if central else RoundLevel.PROVINCE,
        defaults={"criteria_version": CriteriaVersion.objects.get(code="DEMO-148")},
    )  # fmt: skip
    council = Council.objects.filter(round=round_).first() or Council.objects.create(round=round_, name="Hội đồng")
    dossier = Dossier.objects.create(
        round=round_, product=product, state=DossierState.PUBLISHED if published else DossierState.SCORED,
        criteria_set=round_.criteria_version.sets.get(product_set_id=product.product_set_id),
    )  # fmt: skip
    mean = {2: Decimal("45"), 3: Decimal("62"), 4: Decimal("82"), 5: Decimal("93")}[stars]
    return Result.objects.create(
        dossier=dossier, council=council, mean=mean, part_a=mean / 3, part_b=mean / 3, part_c=mean / 3,
        stars_by_score=stars, stars=stars, referral=stars == 5 and not central, scorers=7, published=published,
    )  # fmt: skip
