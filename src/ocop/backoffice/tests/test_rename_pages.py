"""A certified product renamed: the office is told once per rename, sees the flag, and clears it by reviewing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ocop.accounts.models import Notification, Role
from ocop.accounts.services import system_user
from ocop.backoffice.links import url_of
from ocop.certificates import services
from ocop.certificates.tests.conftest import issue, office  # noqa: F401
from ocop.conftest import client_for
from ocop.core.models import AuditEntry
from ocop.registry import renames
from ocop.registry import services as registry
from ocop.registry.models import ProductRename
from ocop.testing import make_product, make_user

NEW = "Bình gốm Bát Tràng cao cấp"
FLAG = "Đổi tên sau khi được chứng nhận: chờ cơ quan OCOP xem xét"


def _producer_account(office):  # noqa: F811
    user = make_user(Role.PRODUCER, username="htxgom")
    registry.link_producer_account(producer=office.producer, user=user, by=office.coordinator)
    return user


def _notices(user):
    notes = Notification.objects.filter(user=user).order_by("id").values_list("key", "title", "target", "target_id")
    return [(key, title, url_of(target, pk)) for key, title, target, pk in notes]


def test_a_rename_is_flagged_to_the_coordinator_once_and_cleared_by_the_review(office, time_machine):  # noqa: F811
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC), tick=False)
    cert = issue(office)
    producer = _producer_account(office)
    registry.update_product(product=office.product, by=producer, name=NEW)
    registry.update_product(product=office.product, by=producer, story="Làng gốm 700 năm tuổi.")  # not a rename
    rename = ProductRename.objects.get()
    assert (rename.product, rename.old_name, rename.new_name, rename.by, rename.reviewed_at) == (
        office.product, "Bình gốm men lam", NEW, producer, None)  # fmt: skip
    product_url = reverse("backoffice:product_detail", args=[office.product.pk])
    assert _notices(office.coordinator) == [
        (f"rename:{rename.pk}", f"Sản phẩm đã được chứng nhận đổi tên: “Bình gốm men lam” nay là “{NEW}”", product_url)
    ]
    assert _notices(office.charlie) == [] and _notices(producer) == []

    # The coordinator sees the flag on the certificate's page, on the product's page and in the certificates list.
    coordinator = client_for(office.coordinator)
    page = coordinator.get(reverse("backoffice:certificate_detail", args=[cert.pk])).content.decode()
    assert FLAG in page and f"“Bình gốm men lam” → “{NEW}” ngày 10/01/2026, do Người Dùng Thử thực hiện" in page
    assert f'Giấy chứng nhận {cert.number}: Bình gốm men lam <small id="current-name">(tên hiện tại: {NEW})' in page
    assert reverse("backoffice:rename_reviewed", args=[rename.pk]) in page
    assert FLAG in coordinator.get(product_url).content.decode()
    listed = coordinator.get(reverse("backoffice:certificate_list") + "?renamed=1").content.decode()
    assert cert.number in listed and "đã đổi tên, cần xem xét" in listed
    # The producer sees the flag on its product but cannot clear it.
    own = client_for(producer)
    assert FLAG in own.get(product_url).content.decode()
    assert reverse("backoffice:rename_reviewed", args=[rename.pk]) not in own.get(product_url).content.decode()
    assert own.post(reverse("backoffice:rename_reviewed", args=[rename.pk])).status_code == 403
    assert client_for(office.charlie).post(reverse("backoffice:rename_reviewed", args=[rename.pk])).status_code == 404
    anonymous = client_for(None).post(reverse("backoffice:rename_reviewed", args=[rename.pk]))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    assert ProductRename.objects.get().reviewed_at is None

    # Marked reviewed: the flag goes, the review is kept and audited.
    certificate_url = reverse("backoffice:certificate_detail", args=[cert.pk])
    done = coordinator.post(
        reverse("backoffice:rename_reviewed", args=[rename.pk]),
        {"note": "Cùng sản phẩm, đổi tên thương mại", "next": certificate_url},
    )
    assert (done.status_code, done["Location"]) == (302, certificate_url)
    rename.refresh_from_db()
    assert (rename.reviewed_by, rename.review_note) == (office.coordinator, "Cùng sản phẩm, đổi tên thương mại")
    assert rename.reviewed_at == dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC)
    entry = AuditEntry.objects.get(object_id=str(rename.pk), content_type__model="productrename")
    assert (entry.actor_id, entry.changes) == (office.coordinator.pk, {
        "reviewed_at": [None, "2026-01-10T09:00:00+00:00"], "review_note": [None, "Cùng sản phẩm, đổi tên thương mại"]
    })  # fmt: skip
    assert FLAG not in coordinator.get(certificate_url).content.decode()
    assert FLAG not in coordinator.get(product_url).content.decode()
    listed = coordinator.get(reverse("backoffice:certificate_list") + "?renamed=1").content.decode()
    assert cert.number not in listed
    again = coordinator.post(reverse("backoffice:rename_reviewed", args=[rename.pk]), follow=True)
    assert "Việc đổi tên này đã được xem xét ngày 10/01/2026." in again.content.decode()
    assert AuditEntry.objects.filter(content_type__model="productrename").count() == 1


def test_each_rename_is_its_own_flag_and_notice(office, time_machine):  # noqa: F811
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    issue(office)
    colleague = make_user(Role.PROVINCE_COORDINATOR, username="coordinator2")
    registry.update_product(product=office.product, by=office.coordinator, name=NEW)
    registry.update_product(product=office.product, by=system_user(), name="Bình gốm men lam")  # and back again
    first, second = ProductRename.objects.order_by("id")
    assert [(r.old_name, r.new_name) for r in (first, second)] == [("Bình gốm men lam", NEW), (NEW, "Bình gốm men lam")]
    # The coordinator who renamed it is not told of their own change; everyone else once per rename.
    assert [key for key, _title, _url in _notices(office.coordinator)] == [f"rename:{second.pk}"]
    assert [key for key, _title, _url in _notices(colleague)] == [f"rename:{first.pk}", f"rename:{second.pk}"]


def test_only_a_valid_or_suspended_certificate_flags_a_rename(office, time_machine):  # noqa: F811
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    uncertified = make_product(producer=office.producer, name="Chén gốm")
    registry.update_product(product=uncertified, by=system_user(), name="Chén gốm men rạn")
    assert (ProductRename.objects.count(), Notification.objects.count()) == (0, 0)

    suspended = issue(office)
    services.suspend(by=office.coordinator, certificate=suspended, reason="Kiểm tra nhãn")
    registry.update_product(product=office.product, by=system_user(), name=NEW)
    assert list(ProductRename.objects.values_list("product_id", flat=True)) == [office.product.pk]

    revoked = issue(office, product=uncertified)
    services.revoke(by=office.coordinator, certificate=revoked, decision_number="9/QĐ", revoked_on=dt.date(2026, 1, 9),
                    reason="Sai phạm")  # fmt: skip
    registry.update_product(product=uncertified, by=system_user(), name="Chén gốm cổ")
    expired = issue(office, product=make_product(producer=office.producer, name="Đĩa gốm"), on=dt.date(2022, 12, 1))
    registry.update_product(product=expired.product, by=system_user(), name="Đĩa gốm men lam")
    assert ProductRename.objects.count() == 1
    assert Notification.objects.filter(key__startswith="rename:").count() == 1


def test_a_review_needs_the_office_and_a_sane_note(office, time_machine):  # noqa: F811
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    issue(office)
    registry.update_product(product=office.product, by=system_user(), name=NEW)
    rename = ProductRename.objects.get()
    with pytest.raises(PermissionDenied):
        renames.review_rename(by=office.charlie, rename=rename)
    with pytest.raises(PermissionDenied):
        renames.review_rename(by=make_user(Role.COMMERCE_OFFICER), rename=rename)
    with pytest.raises(ValidationError) as refused:
        renames.review_rename(by=office.coordinator, rename=rename, note="x" * 2001)
    assert refused.value.message_dict == {"note": ["Ghi chú quá dài (tối đa 2.000 ký tự)."]}
    assert ProductRename.objects.get().reviewed_at is None
    assert not AuditEntry.objects.filter(content_type__model="productrename").exists()
