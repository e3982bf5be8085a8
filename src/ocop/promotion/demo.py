"""The trade-promotion part of `ocop demo`: four Hà Nội events (a fair, an exhibition, the Friday livestream "Chợ đêm
trên mây" and an online market) with booths for producers of valid OCOP products and their outcomes. Built through
the real services; skipped when Hà Nội already has events."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from ocop.accounts.models import User
from ocop.certificates.queries import status_q
from ocop.places.models import Commune, Province
from ocop.promotion import services
from ocop.promotion.enums import EventKind
from ocop.promotion.models import Event
from ocop.registry.models import Producer, Product


@transaction.atomic
def build_promotion_demo(*, today: dt.date) -> int:
    hanoi = Province.objects.get(code="01")
    if Event.objects.filter(province=hanoi).exists():
        return 0
    rng = random.Random(2024)  # noqa: S311  # demo data
    officer = User.objects.get(username="commerce")
    current = Product.objects.filter(status_q("current", today, prefix="ocop_"))
    producers = list(Producer.objects.filter(products__in=current).distinct().order_by("id"))
    others = list(Producer.objects.exclude(pk__in=[p.pk for p in producers]).order_by("id")[:2])
    events = [
        (EventKind.FAIR, "Hội chợ OCOP Hà Nội", "Sở Nông nghiệp và Môi trường Hà Nội", -60, 4,
         {"place": "Cung Văn hoá Hữu nghị, 91 Trần Hưng Đạo", "commune": "Cửa Nam"}),
        (EventKind.EXHIBITION, "Triển lãm sản phẩm làng nghề và OCOP", "Sở Công Thương Hà Nội", -120, 3,
         {"place": "Trung tâm Triển lãm Quốc gia", "commune": "Đông Anh"}),
        (EventKind.LIVESTREAM, "Chợ đêm trên mây", "Văn phòng Điều phối nông thôn mới Hà Nội", -14, 0,
         {"platform": "Livestream trên Facebook và TikTok, thứ Sáu 20:30"}),
        (EventKind.ONLINE_MARKET, "Tuần lễ OCOP trên sàn thương mại điện tử", "Sở Công Thương Hà Nội", -30, 6,
         {"platform": "postmart.vn"}),
    ]  # fmt: skip
    for kind, name, organiser, start, length, where in events:
        starts_on = today + dt.timedelta(days=start)
        commune = Commune.objects.filter(province=hanoi, short_name=where.pop("commune", "")).first()
        event = services.create_event(
            by=officer, province=hanoi, kind=kind, name=f"{name} {starts_on.year}", organiser=organiser,
            starts_on=starts_on, ends_on=starts_on + dt.timedelta(days=length), commune=commune, **where,
        )  # fmt: skip
        for number, producer in enumerate(rng.sample(producers, k=min(len(producers), 4)), start=1):
            shown = list(current.filter(producer=producer))
            booth = services.allocate_booth(
                by=officer, event=event, producer=producer, label=f"A{number}", products=shown
            )
            services.record_outcome(
                by=officer, booth=booth, revenue=rng.randint(5, 80) * 1_000_000, contracts=rng.randint(0, 3),
                contract_value=rng.randint(0, 5) * 20_000_000, visitors=rng.randint(50, 900),
            )  # fmt: skip
        if kind == EventKind.FAIR:
            for producer in others:  # producers without a valid certificate take ordinary booths
                services.allocate_booth(by=officer, event=event, producer=producer, label="B1", ocop=False)
    trainings = [
        ("Tập huấn xây dựng hồ sơ sản phẩm OCOP", -200, "Hội trường UBND xã Bát Tràng", "Bát Tràng",
         ["Nguyễn Thị Hoa", "Trần Văn Nam", "Lê Thị Mai", "Phạm Văn Hùng"], "Chủ thể OCOP xã Bát Tràng"),
        ("Bán hàng trên sàn thương mại điện tử và livestream", -45, "Trung tâm Xúc tiến thương mại Hà Nội", "",
         ["Đỗ Thị Lan", "Vũ Văn Tài", "Hoàng Thị Thu"], "Chủ thể OCOP các xã"),
    ]  # fmt: skip
    for topic, start, place, commune_name, names, organisation in trainings:
        starts_on = today + dt.timedelta(days=start)
        training = services.record_training(
            by=officer, province=hanoi, topic=topic, organiser="Văn phòng Điều phối nông thôn mới Hà Nội",
            starts_on=starts_on, ends_on=starts_on + dt.timedelta(days=1), place=place,
            commune=Commune.objects.filter(province=hanoi, short_name=commune_name).first() if commune_name else None,
        )  # fmt: skip
        services.add_attendees(by=officer, training=training, names="\n".join(names), organisation=organisation)
    return len(events)
