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
    # Food-safety certificates of producers 0, 4 and 8 have expired; producer 7's expires within 30 days.
    assert Document.objects.filter(expires_on__lt=today).count() == 3
    assert Document.objects.filter(expires_on=today + dt.timedelta(days=15)).count() == 1
    roles = set(RoleAssignment.objects.values_list("role", flat=True))
    assert roles == {r.value for r in Role}
    assert sorted(User.objects.exclude(username="system").values_list("username", flat=True)) == sorted(
        u for u, _n, _r in USERS
    )
    second = build_demo(producers=10)
    assert (second.producers, second.products, second.documents, second.users) == (0, 0, 0, 0)
    assert (Producer.objects.count(), Product.objects.count()) == (10, 25)
