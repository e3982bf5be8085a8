""" "Việc cần làm": what waits for a user, from every domain app's worklist, as links to the pages where they act.

The domain apps answer scoped querysets (`*/worklist.py`, annotated with `since`); this module names each record,
maps it to its page with reverse() and counts them per menu entry. Each source costs one COUNT query and, for the
list, one more bounded by CAP.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ocop.accounts.models import Notification
from ocop.accounts.permissions import scope_of
from ocop.certificates import worklist as certificate_work
from ocop.evaluation import worklist as evaluation_work
from ocop.evaluation.enums import DossierState
from ocop.outlets import worklist as outlet_work
from ocop.places.models import Province
from ocop.registry.models import ParkState
from ocop.registry.parking import parked_rows_visible_to
from ocop.supervision import worklist as supervision_work

CAP = 50  # items listed at most; the rest are counted ("and N more")


@dataclass(frozen=True)
class WorkItem:
    kind: str  # stable key, e.g. "dossier_check"
    title: str  # translated, names the record
    url: str  # the page where the user acts
    since: dt.date  # when the wait began: the list is oldest first
    detail: str = ""  # e.g. "3 of 7 members have scored"
    menu: str = ""  # the menu entry it counts under
    due: dt.date | None = None  # for what falls due or ends on a date (an inspection, a certificate): that date

    @property
    def when(self) -> str:
        """The item's date as the list words it: what falls due counts the days left (or past); what waits, since
        when."""
        if self.due is None:
            return _("since %(date)s") % {"date": date_format(self.since, "SHORT_DATE_FORMAT")}
        days = (self.due - timezone.localdate()).days
        if days > 0:
            return ngettext("%(n)d day left", "%(n)d days left", days) % {"n": days}
        if days == 0:
            return _("due today")
        return ngettext("%(n)d day overdue", "%(n)d days overdue", -days) % {"n": -days}


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    return timezone.localdate()


@dataclass(frozen=True)
class Source:
    kind: str
    menu: str
    records: Callable[[Any], Any]  # user -> queryset annotated with `since`
    item: Callable[[Any], WorkItem]
    together: bool = False  # one item for all the records (`item` gets (count, oldest since))


def _dossier_url(d: Any) -> str:
    return reverse("backoffice:dossier_detail", args=[d.pk])


def _check(d: Any) -> WorkItem:
    if d.state == DossierState.SUBMITTED:
        title = _("Check the dossier: %(product)s") % {"product": d.product.name}
    else:
        title = _("Propose to the province: %(product)s") % {"product": d.product.name}
    return WorkItem("dossier_check", title, _dossier_url(d), _date(d.since), menu="dossiers")


def _review(d: Any) -> WorkItem:
    return WorkItem(
        "dossier_review",
        _("Review the dossier: %(product)s") % {"product": d.product.name},
        _dossier_url(d),
        _date(d.since),
        detail=str(d.get_state_display()),
        menu="dossiers",
    )


def _score(d: Any) -> WorkItem:
    if d.rescore:  # a spread review reopened the member's sheet: score again, which the page explains
        return WorkItem(
            "dossier_score",
            _("Score the dossier again: %(product)s") % {"product": d.product.name},
            reverse("backoffice:score_page", args=[d.pk]),
            _date(d.since),
            detail=_("scores too far apart, scoring no. %(n)d") % {"n": d.rescore},
            menu="dossiers",
        )
    return WorkItem(
        "dossier_score",
        _("Score the dossier: %(product)s") % {"product": d.product.name},
        reverse("backoffice:score_page", args=[d.pk]),
        _date(d.since),
        detail=ngettext(
            "%(n)d of %(m)d member has scored", "%(n)d of %(m)d members have scored", d.members
        ) % {"n": d.scored, "m": d.members},
        menu="dossiers",
    )  # fmt: skip


def _publish(c: Any) -> WorkItem:
    return WorkItem(
        "result_publish",
        _("Publish the results of %(council)s") % {"council": c.name},
        reverse("backoffice:round_detail", args=[c.round_id]),
        _date(c.since),
        detail=ngettext("%(n)d result", "%(n)d results", c.unpublished) % {"n": c.unpublished},
        menu="rounds",
    )


def _referral(r: Any) -> WorkItem:
    return WorkItem(
        "referral_receive",
        _("Receive the referral: %(product)s") % {"product": r.dossier.product.name},
        reverse("backoffice:referrals"),
        _date(r.since),
        detail=r.dossier.product.province.name,
        menu="rounds",
    )


def _decide(row: dict[str, Any]) -> WorkItem:
    return WorkItem(
        "decision_draft",
        _("Draft the recognition decision: round %(round)s, %(province)s")
        % {
            "round": f"{row['dossier__round__number']}/{row['dossier__round__year']}",
            "province": row["dossier__round__province__name"],
        },
        reverse("backoffice:decision_list"),
        _date(row["since"]),
        detail=ngettext("%(n)d product", "%(n)d products", row["n"]) % {"n": row["n"]},
        menu="certificates",
    )


def _returned(d: Any) -> WorkItem:
    return WorkItem(
        "dossier_returned",
        _("Complete the returned dossier: %(product)s") % {"product": d.product.name},
        _dossier_url(d),
        _date(d.since),
        menu="dossiers",
    )


def _result(r: Any) -> WorkItem:
    return WorkItem(
        "result_new",
        _("New result: %(product)s") % {"product": r.dossier.product.name},
        reverse("backoffice:path_page", args=[r.dossier_id]),
        _date(r.since),
        detail=ngettext("%(n)d star", "%(n)d stars", r.stars) % {"n": r.stars},
        menu="dossiers",
    )


def _shelf(t: Any) -> WorkItem:
    return WorkItem(
        "shelf_clear",
        _("Take off the OCOP shelf: %(product)s") % {"product": t.product.name},
        reverse("backoffice:outlet_detail", args=[t.outlet_id]),
        _date(t.since),
        detail=t.outlet.name,
        menu="outlets",
    )


def _sales(o: Any) -> WorkItem:
    month = o.month
    return WorkItem(
        "sales_report",
        _("Report the sales of %(month)s: %(outlet)s") % {"month": f"{month.month:02d}/{month.year}", "outlet": o.name},
        reverse("backoffice:outlet_sales", args=[o.pk]) + f"?month={month.month:02d}/{month.year}",
        _date(o.since),
        menu="outlets",
    )


def _assess(o: Any) -> WorkItem:
    return WorkItem(
        "outlet_assess",
        _("Assess the proposed sales point: %(outlet)s") % {"outlet": o.name},
        reverse("backoffice:outlet_detail", args=[o.pk]),
        _date(o.since),
        menu="outlets",
    )


def _subject(inspection: Any) -> str:
    subject = inspection.outlet or inspection.producer
    return subject.name if subject is not None else ""


def _inspection(i: Any) -> WorkItem:
    return WorkItem(
        "inspection_due",
        _("Inspect: %(subject)s") % {"subject": _subject(i)},
        reverse("backoffice:inspection_detail", args=[i.pk]),
        _date(i.since),
        detail=_("planned for %(date)s") % {"date": date_format(i.planned_on, "SHORT_DATE_FORMAT")},
        menu="inspections",
        due=i.planned_on,
    )


def _finding(f: Any) -> WorkItem:
    return WorkItem(
        "finding_overdue",
        _("Follow up a finding past its deadline: %(subject)s") % {"subject": _subject(f.inspection)},
        reverse("backoffice:inspection_detail", args=[f.inspection_id]),
        _date(f.since),
        detail=_("fix by %(date)s") % {"date": date_format(f.fix_by, "SHORT_DATE_FORMAT")},
        menu="inspections",
        due=f.fix_by,
    )


def _ending(c: Any) -> WorkItem:
    return WorkItem(
        "certificate_ending",
        _("Certificate ending: %(product)s") % {"product": c.product.name},
        reverse("backoffice:certificate_detail", args=[c.pk]),
        c.valid_until - dt.timedelta(days=certificate_work.ENDING_DAYS),
        detail=_("valid until %(date)s") % {"date": date_format(c.valid_until, "SHORT_DATE_FORMAT")},
        menu="certificates",
        due=c.valid_until,
    )


def _parked(rows: tuple[int, Any]) -> WorkItem:
    n, since = rows
    return WorkItem(
        "parked_row",
        ngettext("Review %(n)d imported row set aside", "Review %(n)d imported rows set aside", n) % {"n": n},
        reverse("backoffice:parked_list"),
        _date(since),
        menu="producers",
    )


def _open_parked(user: Any) -> Any:
    return parked_rows_visible_to(user).filter(state=ParkState.OPEN).annotate(since=F("created_at"))


SOURCES = (
    Source("dossier_check", "dossiers", evaluation_work.dossiers_to_check, _check),
    Source("dossier_review", "dossiers", evaluation_work.dossiers_to_review, _review),
    Source("dossier_score", "dossiers", evaluation_work.dossiers_to_score, _score),
    Source("result_publish", "rounds", evaluation_work.councils_to_publish, _publish),
    Source("referral_receive", "rounds", evaluation_work.referrals_to_receive, _referral),
    Source("decision_draft", "certificates", certificate_work.results_to_decide, _decide),
    Source("dossier_returned", "dossiers", evaluation_work.returned_dossiers, _returned),
    Source("result_new", "dossiers", evaluation_work.new_results, _result),
    Source("shelf_clear", "outlets", outlet_work.shelves_to_clear, _shelf),
    Source("sales_report", "outlets", outlet_work.sales_to_report, _sales),
    Source("outlet_assess", "outlets", outlet_work.outlets_to_assess, _assess),
    Source("inspection_due", "inspections", supervision_work.inspections_due, _inspection),
    Source("finding_overdue", "inspections", supervision_work.findings_overdue, _finding),
    Source("certificate_ending", "certificates", certificate_work.certificates_ending, _ending),
    Source("parked_row", "producers", _open_parked, _parked, together=True),
)


def _count_sql(qs: Any) -> tuple[str, tuple[Any, ...]] | None:
    """`SELECT COUNT(*)` of a queryset as a scalar subquery (None: the queryset can hold nothing)."""
    qs = qs.order_by()
    if qs._fields is None:  # a model queryset: no joined columns for select_related, which the count does not need
        qs = qs.select_related(None)
    try:
        sql, params = qs.query.sql_with_params()
    except EmptyResultSet:
        return None
    return f"(SELECT COUNT(*) FROM ({sql}) w)", tuple(params)


def _counts(user: Any) -> dict[str, int]:
    """Items per source kind, the unread notices ("_unread") and how many of the user's provinces are the central
    level ("_central"), in ONE query of scalar COUNT subqueries (sources that can hold nothing for the user's roles
    are not queried); computed once per request, kept on the user object as the role scope is."""
    cached = getattr(user, "_ocop_work_counts", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    counts = {source.kind: 0 for source in SOURCES}
    counts["_unread"] = 0
    counts["_central"] = 0
    parts: list[str] = []
    params: list[Any] = []
    kinds: list[str] = []
    querysets = [(source.kind, source.records(user)) for source in SOURCES]
    querysets.append(("_unread", Notification.objects.filter(user=user, read_at__isnull=True)))
    provinces = _provinces(user)
    if provinces:  # how many of them are the central level (`central_office`), in the same query
        querysets.append(("_central", Province.objects.filter(pk__in=provinces, central=True)))
    for kind, qs in querysets:
        compiled = _count_sql(qs)
        if compiled is not None:
            parts.append(compiled[0])
            params.extend(compiled[1])
            kinds.append(kind)
    if parts:
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts), params)
            row = cursor.fetchone()
        counts.update(zip(kinds, (int(n) for n in row), strict=True))
    user._ocop_work_counts = counts
    return counts


def _provinces(user: Any) -> set[int]:
    scope = scope_of(user)
    if scope.is_admin or scope.communes:
        return set()
    return set().union(*scope.provinces.values()) if scope.provinces else set()


def central_office(user: Any) -> bool:
    """Whether the user works only at the central level (the ministry's office, a coordinator of the central level
    `places.queries.central_level`): it runs the central round on the provinces' referrals, not a province's
    registry, sales points, plans or figures. Answered by the work counts' query (no query of its own)."""
    if not getattr(user, "is_authenticated", False):
        return False
    provinces = _provinces(user)
    return bool(provinces) and _counts(user)["_central"] == len(provinces)


def work_for(user: Any, cap: int = CAP) -> list[WorkItem]:
    """Every item waiting for the user, oldest first (at most `cap`; `work_total` counts them all)."""
    if not getattr(user, "is_authenticated", False):
        return []
    items: list[WorkItem] = []
    counts = _counts(user)
    for source in SOURCES:
        if not counts[source.kind]:
            continue
        records = source.records(user).order_by("since")
        if source.together:
            items.append(source.item((counts[source.kind], records.values_list("since", flat=True).first())))
        else:
            items.extend(source.item(row) for row in records[:cap])
    items.sort(key=lambda item: (item.since, item.title))
    return items[:cap]


def _items(source: Source, n: int) -> int:
    """How many items a source's `n` records make in the list: a source listed together is one item."""
    return min(n, 1) if source.together else n


def work_total(user: Any) -> int:
    """How many items `work_for` lists without its cap (a source listed together counts once)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    counts = _counts(user)
    return sum(_items(source, counts[source.kind]) for source in SOURCES)


def menu_counts(user: Any) -> dict[str, int]:
    """Menu entry key → number of items waiting under it (entries with none are left out); "notifications" counts
    the unread notices."""
    if not getattr(user, "is_authenticated", False):
        return {}
    result: dict[str, int] = {}
    counts = _counts(user)
    for source in SOURCES:
        if counts[source.kind]:
            result[source.menu] = result.get(source.menu, 0) + _items(source, counts[source.kind])
    if counts["_unread"]:
        result["notifications"] = counts["_unread"]
    return result
