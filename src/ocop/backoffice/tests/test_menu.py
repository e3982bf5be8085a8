"""The menu by role: each role sees only the entries whose page answers it (never a 403 behind a link), with the
work waiting under each entry."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ocop.accounts.models import Role
from ocop.backoffice.menu import menu_for
from ocop.conftest import client_for
from ocop.testing import make_user

OFFICE = ["dashboard", "producers", "products", "documents", "dossiers", "rounds", "criteria", "certificates",
          "outlets", "inspections", "plans", "statistics", "notifications"]  # fmt: skip
# A coordinator also sets their province's issuing body (who its documents come from and who signs them).
COORDINATOR = [*OFFICE[:-1], "issuing_body", "notifications"]
# Personal API tokens are offered to the roles whose work other systems take up, the webhooks' audience (the page is
# open to everyone).
TOKENS = ["api_tokens"]
# Webhooks: the offices and the sales points (shop chains) may subscribe (ocop.webhooks.access).
WEBHOOKS = ["webhooks"]
EXPECTED = {
    "coordinator": [*COORDINATOR, *TOKENS, *WEBHOOKS],
    "commerce": [*OFFICE, *TOKENS, *WEBHOOKS],
    "commune": [*OFFICE, *TOKENS, *WEBHOOKS],
    "admin": [*OFFICE, *TOKENS, *WEBHOOKS],
    "charlie": [*COORDINATOR, *TOKENS, *WEBHOOKS],
    "council": ["dashboard", "producers", "products", "dossiers", "rounds", "criteria", "notifications"],
    "producer": [
        "dashboard",
        "producers",
        "products",
        "documents",
        "dossiers",
        "rounds",
        "certificates",
        "outlets",
        "inspections",
        "notifications",
    ],
    "outlet": ["dashboard", "outlets", "inspections", "notifications", *TOKENS, *WEBHOOKS],
    "inspector": ["dashboard", "certificates", "inspections", "statistics", "notifications", *TOKENS, *WEBHOOKS],
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_sees_its_entries_and_every_link_answers(world, role):
    user = make_user(Role.INSPECTOR, username="inspector") if role == "inspector" else world.users[role]
    client = client_for(user)
    page = client.get(reverse("backoffice:dashboard"))
    links = page.context["back_office_menu"]
    assert [link.key for link in links] == EXPECTED[role]
    for link in links:
        assert client.get(link.url).status_code == 200, link.url
    # The page writes exactly these links in its main menu, the dashboard marked as the current page.
    html = page.content.decode()
    nav = html[html.index('class="main-nav"') : html.index("</nav>")]
    assert nav.count("data-menu=") == len(EXPECTED[role])
    assert f'href="{reverse("backoffice:dashboard")}" aria-current="page"' in nav


def test_the_menu_counts_the_work_under_its_entry(world):
    """The coordinator's parked import row counts under Producers, as a badge with a spoken label."""
    links = {link.key: link.count for link in menu_for(world.users["coordinator"])}
    assert links == {key: 1 if key == "producers" else 0 for key in EXPECTED["coordinator"]}
    html = client_for(world.users["coordinator"]).get(reverse("backoffice:producer_list")).content.decode()
    assert (
        '<span class="menu-count"><span aria-hidden="true">1</span><span class="visually-hidden">(1 việc đang chờ)'
        "</span></span>" in html
    )
    assert menu_for(None) == []


def test_a_visitor_sees_no_back_office_menu(world):
    html = client_for(None).get(reverse("catalogue")).content.decode()
    assert 'class="main-nav"' not in html


def test_the_home_page_opens_on_the_work_and_keeps_the_figures_that_concern_the_role(world):
    coordinator = client_for(world.users["coordinator"]).get(reverse("backoffice:dashboard")).content.decode()
    assert coordinator.index("Việc cần làm") < coordinator.index('data-count="producers"')
    assert f'<a href="{reverse("backoffice:parked_list")}">Xem xét 1 dòng nhập đang chờ xử lý</a>' in coordinator
    inspector = make_user(Role.INSPECTOR, username="inspector")
    for user in (world.users["council"], inspector):
        response = client_for(user).get(reverse("backoffice:dashboard"))
        html = response.content.decode()
        assert response.context["registry_figures"] is False
        assert 'data-count="producers"' not in html and 'data-count="products"' not in html
        assert '<p class="empty" id="work-empty">Không có việc nào đang chờ bạn.</p>' in html
