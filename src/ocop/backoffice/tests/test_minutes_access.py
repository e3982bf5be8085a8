"""Who downloads the council's minutes (issue 17): the two who sign them, the council's chair and its secretary, and
the round's office; an ordinary member signs nothing and is refused (403), as are the producer and the province's
commerce officer; another province's coordinator does not see the round (404). The rule is the gateway's
(evaluation.access.council_for_minutes)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ocop.accounts.models import Role
from ocop.conftest import client_for
from ocop.evaluation import scoring
from ocop.evaluation.enums import MemberRole
from ocop.evaluation.tests.conftest import scene as scene
from ocop.testing import make_user


def _council(scene):
    """The chair, a member and a secretary from the council's users (not the office)."""
    return scoring.set_up_council(
        by=scene.coordinator,
        round_=scene.round,
        name="Hội đồng đánh giá, phân hạng sản phẩm OCOP thành phố Hà Nội năm 2025",
        members=[
            (scene.members[0], MemberRole.CHAIR, ""),
            (scene.members[1], MemberRole.MEMBER, ""),
            (scene.members[2], MemberRole.SECRETARY, ""),
        ],
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("chair", 200),
        ("secretary", 200),
        ("coordinator", 200),
        ("member", 403),
        ("other council user", 403),
        ("owner", 403),
        ("commerce", 403),
        ("charlie", 404),
    ],
)
def test_the_chair_and_the_secretary_download_the_minutes_they_sign(scene, who, status):
    _council(scene)
    users = {
        "chair": scene.members[0],
        "member": scene.members[1],
        "secretary": scene.members[2],
        "other council user": scene.members[3],
        "coordinator": scene.coordinator,
        "owner": scene.owner,
        "commerce": make_user(Role.COMMERCE_OFFICER, username="commerce"),
        "charlie": scene.charlie,
    }
    response = client_for(users[who]).get(reverse("backoffice:minutes", args=[scene.round.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="bien-ban-2025-1.pdf"'
        assert response.content.startswith(b"%PDF")


def test_the_round_page_gives_the_chair_the_minutes_and_not_a_member(scene):
    _council(scene)
    link = f'href="{reverse("backoffice:minutes", args=[scene.round.pk])}"'
    page = reverse("backoffice:round_detail", args=[scene.round.pk])
    assert link in client_for(scene.members[0]).get(page).content.decode()
    assert link in client_for(scene.members[2]).get(page).content.decode()
    member = client_for(scene.members[1]).get(page)
    assert member.status_code == 200 and link not in member.content.decode()


def test_a_round_without_a_council_has_no_minutes(scene):
    response = client_for(scene.members[0]).get(reverse("backoffice:minutes", args=[scene.round.pk]))
    assert response.status_code == 404
    assert client_for(scene.coordinator).get(reverse("backoffice:minutes", args=[scene.round.pk])).status_code == 404
