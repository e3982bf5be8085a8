import datetime as dt

from django.utils import timezone

from ocop.accounts.models import Role, RoleAssignment, User
from ocop.registry.demo import USERS, build_demo
from ocop.registry.models import Document, Producer, Product


def test_demo_builds_through_services_and_twice_adds_nothing(db):
    first = build_demo(producers=10)
    assert (first.producers, first.products, first.documents, first.users) == (10, 25, 30, 8)
    assert Producer.objects.exclude(legacy_commune=None).count() == 2
    today = timezone.localdate()
    # Food-safety certificates of producers 3 and 7 have expired; producer 5's expires within 30 days.
    assert Document.objects.filter(expires_on__lt=today).count() == 2
    assert Document.objects.filter(expires_on=today + dt.timedelta(days=15)).count() == 1
    roles = set(RoleAssignment.objects.values_list("role", flat=True))
    assert roles == {r.value for r in Role}
    assert sorted(User.objects.exclude(username="system").values_list("username", flat=True)) == sorted(
        u for u, _n, _r in USERS
    )
    second = build_demo(producers=10)
    assert (second.producers, second.products, second.documents, second.users) == (0, 0, 0, 0)
    assert (Producer.objects.count(), Product.objects.count()) == (10, 25)


def test_demo_products_match_their_communes(db):
    build_demo(producers=20)
    names = {(p.commune.short_name, p.name) for p in Product.objects.select_related("commune")}
    assert ("Bát Tràng", "Bộ ấm chén men lam Bát Tràng") in names
    assert ("Ba Vì", "Sữa bò tươi thanh trùng Ba Vì") in names
    assert ("Suối Hai", "Chè búp Suối Hai") in names
    assert ("Chuyên Mỹ", "Tranh khảm trai Chuyên Mỹ") in names
    # A producer registered before July 2025 keeps its former commune's name: Tản Lĩnh (Ba Vì) is now in Suối Hai.
    assert ("Suối Hai", "Sữa bò tươi thanh trùng Tản Lĩnh") in names
    assert not [n for _c, n in names if "Rượu" in n and "mơ" not in n]
