"""Certificates as they stood on a past day: the one rule every report counts with.

A certificate is valid on day D when it was issued on or before D, had not expired (valid_until >= D) and, by its
own history, was neither revoked, superseded nor suspended on D. Each part of that history is read from the source
that holds its legal date:

- issuance: `issued_on` (the decision's date). Never the log's time: a decision entered from history, or a
  certificate of the "LS" series entered from a recognition list, is logged when it was entered, years later.
- revocation: `status_since` of a revoked certificate, which the revoke service sets to the revocation decision's
  date (a revoked certificate never changes again).
- supersession: the superseding certificate's `issued_on` (the day the new certificate took over); `status_since`
  only when no superseding certificate is recorded. The service stamps `status_since` with the day it ran, which
  for a decision entered after its date is later than the truth.
- suspension: the transparency log, the only record of a suspension that was later lifted (the certificate then
  reads valid again, with the lift's date). A suspension or lift takes effect the day it was recorded, so the log's
  time is its date. A certificate that is suspended now is also taken as suspended from its `status_since`, which
  covers rows written without a log entry (bulk-generated data).

Reports count products: a product holds at most one certificate valid on a day (issuing one supersedes the one
running; a list's certificates are older than any issued here).

No certificate is valid longer than `rules.VALID_MONTHS` (36 months from its decision; a year-only decision's from
the year's first day), so one valid on D was issued at most that long before it: the query says so, which lets it
read one stretch of the issue dates instead of every certificate that ends after D.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from ocop.certificates.enums import LogEvent, Status
from ocop.certificates.models import Certificate, LogEntry
from ocop.certificates.rules import VALID_MONTHS, add_months


def day_end(day: dt.date) -> dt.datetime:
    """The first instant after `day` in the installation's time zone: log entries before it happened on or before
    the day."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def suspended_on(day: dt.date) -> QuerySet[LogEntry, Any]:
    """The ids (`certificate_id`) of the certificates the log leaves suspended at the end of `day`: a suspension
    logged by then that no lift followed by then."""
    end = day_end(day)
    lifted = LogEntry.objects.filter(
        certificate_id=OuterRef("certificate_id"), event=LogEvent.LIFTED, seq__gt=OuterRef("seq"), at__lt=end
    )
    return (
        LogEntry.objects.filter(event=LogEvent.SUSPENDED, at__lt=end)
        .filter(~Exists(lifted))
        .values("certificate_id")
        .order_by()
    )


def standing_q(day: dt.date) -> Q:
    """The certificates issued by `day`, not expired on it, and not revoked, superseded or (as they stand now)
    suspended by then. A suspension lifted since is found in the log (`suspended_on`)."""
    earliest = add_months(day, -VALID_MONTHS) - dt.timedelta(days=3)  # a margin for months of unequal length
    # Every service leaves a superseded certificate's `status_since` on or after its successor's date, so one
    # superseded by then is known from its own row; the successor's date is looked up only for those superseded
    # (as recorded) after the day, one row each (a join would read every row's successor).
    successor = Certificate.objects.filter(pk=OuterRef("superseded_by_id")).values("issued_on")[:1]
    superseded_later = Q(superseded_by__isnull=True) | Q(GreaterThan(Subquery(successor), day))
    # A CASE, tested in order on the rows of the date range: an OR of these would be split by PostgreSQL's planner
    # into index scans that each read the table.
    standing = Case(
        When(status=Status.VALID, then=Value(True)),
        When(status__in=(Status.SUSPENDED, Status.REVOKED), status_since__gt=day, then=Value(True)),
        When(Q(status=Status.SUPERSEDED, status_since__gt=day) & superseded_later, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    return Q(issued_on__gte=earliest, issued_on__lte=day, valid_until__gte=day) & Q(standing)


def valid_on(day: dt.date, qs: QuerySet[Certificate] | None = None) -> QuerySet[Certificate]:
    """The certificates valid on `day` by their own history (of `qs`, all by default)."""
    qs = Certificate.objects.all() if qs is None else qs
    return qs.filter(standing_q(day)).exclude(pk__in=suspended_on(day))
