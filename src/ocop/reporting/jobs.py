"""Periodic reports made on the task worker (django-tasks-db): the page polls the run's progress."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.tasks import task
from django.utils.translation import gettext as _

from ocop.places.models import Commune, Province
from ocop.reporting import access, stats, workbook
from ocop.reporting.models import ReportRun, RunState


@transaction.atomic
def start_report(
    *, by: Any, province: Province, starts_on: dt.date | None, ends_on: dt.date | None,
    commune: Commune | None = None, legacy: bool = False,
) -> ReportRun:  # fmt: skip
    """Queue a workbook for a period and unit the user may report on. Side effects: a task after commit."""
    access.require(access.can_report(by, province.pk, commune.pk if commune else None))
    errors: dict[str, list[str]] = {}
    if starts_on is None:
        errors["starts_on"] = [_("Enter the first day of the period.")]
    if ends_on is None:
        errors["ends_on"] = [_("Enter the last day of the period.")]
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = [_("The period cannot end before it starts.")]
    if commune is not None and commune.province_id != province.pk:
        errors["commune"] = [_("This commune is in another province.")]
    if errors:
        raise ValidationError(errors)
    run = ReportRun.objects.create(  # type: ignore[misc]
        province=province, commune=commune, starts_on=starts_on, ends_on=ends_on, legacy=legacy, requested_by=by
    )
    run_id = run.pk
    transaction.on_commit(lambda: make_report.enqueue(run_id=run_id))
    return run


def run_report(run: ReportRun) -> None:
    started = time.monotonic()
    ReportRun.objects.filter(pk=run.pk).update(state=RunState.RUNNING, done=0)

    def progress(done: int, total: int) -> None:
        ReportRun.objects.filter(pk=run.pk).update(done=done, total=total)

    scope = stats.Scope(run.province_id, run.commune_id, workbook.as_of(run.ends_on))
    try:
        data = workbook.build(scope, run.starts_on, run.ends_on, run.legacy, progress)
        run.file.save(run.download_name, ContentFile(data), save=False)
    except Exception:
        ReportRun.objects.filter(pk=run.pk).update(state=RunState.FAILED)
        raise
    ReportRun.objects.filter(pk=run.pk).update(
        state=RunState.DONE, file=run.file.name, seconds=time.monotonic() - started
    )


@task()
def make_report(*, run_id: int) -> None:
    run_report(ReportRun.objects.get(pk=run_id))
