"""Nine members submitting at the same moment: nothing is lost and exactly one result comes out."""

import threading

from django.db import connection

from ocop.accounts.models import Role
from ocop.evaluation import scoring
from ocop.evaluation.models import Result, ScoreSheet
from ocop.evaluation.tests.conftest import BEST, council_of, ready_dossier
from ocop.testing import make_user


def test_nine_simultaneous_submissions_make_one_result(reference_data, scene):
    scene.members += [make_user(Role.COUNCIL_MEMBER, username=f"extra{i}") for i in range(2)]
    dossier = ready_dossier(scene)
    council_of(scene, present=9)
    for user in scene.members:  # drafts first, so the nine submissions race on the same dossier row
        scoring.save_sheet(by=user, dossier=dossier, choices=BEST)
    start = threading.Barrier(9)
    failures: list[BaseException] = []

    def submit(user):
        try:
            start.wait()
            scoring.submit_sheet(by=user, dossier=dossier)
        except BaseException as exc:  # noqa: BLE001  # reported by the assertion below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(user,)) for user in scene.members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert ScoreSheet.objects.filter(dossier=dossier, state="submitted").count() == 9
    assert Result.objects.filter(dossier=dossier).count() == 1
    result = Result.objects.get(dossier=dossier)
    assert (result.scorers, result.mean, result.stars) == (9, 100, 5)
    dossier.refresh_from_db()
    assert dossier.state == "scored"
