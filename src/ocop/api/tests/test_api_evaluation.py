import json

from ocop.conftest import client_for
from ocop.evaluation import scoring
from ocop.evaluation.models import CriteriaVersion, ScoreSheet
from ocop.evaluation.tests.conftest import BEST, council_of, ready_dossier, scene  # noqa: F401  # the fixture
from ocop.testing import make_user


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_criteria_versions_and_a_sheet(scene):  # noqa: F811
    client = client_for(scene.coordinator)
    versions = {v["code"]: v for v in client.get("/api/v1/criteria").json()}
    assert sorted(versions) == ["1048/2019", "DEMO-148"]
    assert (versions["DEMO-148"]["provenance"], versions["DEMO-148"]["parts"]) == ("demo", {"A": 40, "B": 25, "C": 35})
    demo_id = versions["DEMO-148"]["id"]
    sets = client.get(f"/api/v1/criteria/{versions['1048/2019']['id']}/sets").json()
    assert (len(sets), sum(s["has_sheet"] for s in sets)) == (26, 2)
    sheet = client.get(f"/api/v1/criteria/{demo_id}/sets/1-06").json()
    lines = [line for g in sheet["groups"] for line in g["lines"]]
    assert len(lines) == 29
    assert lines[0]["options"][3] == {
        "index": 3,
        "label": "Toàn bộ nguyên liệu nhập khẩu hoặc không rõ nguồn gốc (loại)",
        "points": 0,
        "case": "",
        "disqualifies": True,
        "skips": [],
    }
    missing = client.get(f"/api/v1/criteria/{demo_id}/sets/9-99")
    assert (missing.status_code, missing.json()) == (404, {"detail": "Không tìm thấy.", "code": "not_found"})


def test_dossiers_are_scoped(scene):  # noqa: F811
    dossier = ready_dossier(scene)
    assert client_for(scene.owner).get("/api/v1/dossiers").json()["count"] == 1
    assert client_for(scene.charlie).get("/api/v1/dossiers").json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "items": [],
    }
    assert client_for(scene.charlie).get(f"/api/v1/dossiers/{dossier.pk}").status_code == 404
    assert client_for(None).get("/api/v1/dossiers").status_code == 401
    detail = client_for(scene.owner).get(f"/api/v1/dossiers/{dossier.pk}").json()
    assert (detail["state"], detail["product_name"], detail["product_set"]) == ("ready", "Bánh cốm", "1-06")


def test_scoring_through_the_api_follows_the_same_rules(scene):  # noqa: F811
    dossier = ready_dossier(scene)
    council_of(scene)
    url = f"/api/v1/dossiers/{dossier.pk}/score"
    member = client_for(scene.members[0])
    bad = _post(member, url, {"choices": {**BEST, "A1.2": 7}})
    assert (bad.status_code, bad.json()) == (
        422,
        {
            "detail": [{"field": "A1.2", "message": "Đây không phải một phương án của tiêu chí A1.2."}],
            "code": "invalid",
        },
    )
    assert not ScoreSheet.objects.exists()
    done = _post(member, url, {"choices": BEST, "comments": {"C8": "Tốt"}, "submit": True})
    assert (done.status_code, done.json()) == (
        200,
        {"revision": 1, "state": "submitted", "total": "100.00", "dossier_state": "ready"},
    )
    again = _post(member, url, {"choices": BEST, "submit": True})
    assert (again.status_code, again.json()["detail"][0]["message"]) == (422, "Bạn đã nộp phiếu chấm cho hồ sơ này.")
    assert _post(client_for(scene.coordinator), url, {"choices": BEST}).status_code == 403
    assert _post(client_for(scene.charlie), url, {"choices": BEST}).status_code == 404
    assert _post(client_for(make_user()), url, {"choices": BEST}).status_code == 404


def test_results_are_shown_once_published(scene):  # noqa: F811
    dossier = ready_dossier(scene)
    council = council_of(scene)
    for user in scene.members:
        scoring.submit_sheet(by=user, dossier=dossier, choices=BEST)
    url = f"/api/v1/dossiers/{dossier.pk}/result"
    assert client_for(scene.owner).get(url).status_code == 404
    assert client_for(scene.coordinator).get(url).json()["published"] is False
    scoring.publish_results(by=scene.coordinator, council=council)
    result = client_for(scene.owner).get(url).json()
    assert (result["mean"], result["stars"], result["referral"], result["caps"], result["scorers"]) == (
        "100.0000",
        5,
        True,
        [],
        7,
    )


def test_openapi_lists_the_evaluation_endpoints(scene):  # noqa: F811
    paths = set(client_for(scene.coordinator).get("/api/v1/openapi.json").json()["paths"])
    assert {
        "/api/v1/criteria",
        "/api/v1/criteria/{version_id}/sets",
        "/api/v1/criteria/{version_id}/sets/{set_code}",
        "/api/v1/rounds",
        "/api/v1/dossiers",
        "/api/v1/dossiers/{dossier_id}",
        "/api/v1/dossiers/{dossier_id}/result",
        "/api/v1/dossiers/{dossier_id}/score",
    } <= paths
    assert CriteriaVersion.objects.count() == 2
