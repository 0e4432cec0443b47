"""Live statistics of one agency (or an area: an agency and everything below it) for a period.

Every figure is a GROUP BY or a conditional aggregate in the database; Python only turns the few
grouped rows into working-day counts and a dict. What each figure means is in docs/statistics.md;
the conventions chosen are the constants and docstrings here:

* 发布数 — 主动公开 items whose 发布日期 falls in the period and that went public (已发布, or
  已撤回 since: they were published that day). Grouped by month and by top-level 目录 category
  (a child category counts under its parent; agencies' catalogues share the default codes).
* 发布时效 — of those items, the share published within 20 working days of the 成文日期
  (条例第26条, disclosure/timeliness.py: ``LIMIT_WORKING_DAYS``, counted with
  ``WorkdayCalendar.working_days_between`` as the timeliness page does).
* 收到 / 办结 — applications whose 收到申请日期 / 办结日期 falls in the period. Outcomes are the
  six groups of annual-report table 三 (三（一）…（六）), applicant types its columns.
* 逾期 — applications whose reply deadline (``due_on``) fell in the period, up to yesterday, and
  that were not closed by it: closed later, or still open. Cases waiting for the applicant or
  paused (补正, 征求意见) have no running deadline and are not counted, as on the workbench
  (applications/queries.overdue). Counted in the month the deadline passed.
* 办理用时 — working days from receipt to closing of the applications closed in the period
  (pauses for 补正 or consultation are not deducted: it is the time the applicant waited); the
  median of an even number of cases is the mean of the middle two.
* 信息处理费 — 收费通知 issued in the period (number and amount) and fees paid in the period.
"""

import datetime as dt
from collections import Counter

from django.db.models import Count, Exists, F, Min, OuterRef, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from gongkai.applications.clock import EventKind
from gongkai.applications.models import Application, ClockEvent
from gongkai.applications.replies import ApplicantType, report_row_for
from gongkai.disclosure.models import Disclosure, Item
from gongkai.disclosure.models import Status as ItemStatus
from gongkai.disclosure.taxonomy import DEFAULT_CATALOGUE
from gongkai.disclosure.timeliness import LIMIT_WORKING_DAYS
from gongkai.stats.coverage import agencies_covered, find_agency
from gongkai.stats.periods import Period, parse_period
from gongkai.workdays.calendar import WorkdayCalendar

# Items that went public: still published, or withdrawn after having been published.
WENT_PUBLIC = (ItemStatus.PUBLISHED, ItemStatus.WITHDRAWN)
# The groups of annual-report table 三 a closed application's reply type falls in (row code prefix).
OUTCOME_GROUPS: tuple[tuple[str, str], ...] = (
    ("3.1", "予以公开"), ("3.2", "部分公开"), ("3.3", "不予公开"), ("3.4", "无法提供"), ("3.5", "不予处理"),
    ("3.6", "其他处理"),
)
NO_OUTCOME = ("", "未记录答复类型")
# Deadlines that keep running; waiting for the applicant or a paused clock cannot be overdue.
RUNNING_CLOCKS = ("running", "fixed")
_CATALOGUE_ORDER = {code: position for position, (code, _name, _children) in enumerate(DEFAULT_CATALOGUE)}


def counted_span(period: Period, today: dt.date) -> tuple[dt.date, dt.date]:
    """The days counted: the whole period, or up to today if it has not ended (as_of)."""
    return period.start, min(period.end, today)


def published_items(agency_ids, period: Period, today: dt.date):
    return Item.objects.filter(agency__in=agency_ids, disclosure=Disclosure.PROACTIVE, status__in=WENT_PUBLIC,
                               published_on__range=counted_span(period, today))


def _by_month(queryset, field: str, period: Period, today: dt.date) -> list[dict]:
    """Counts per month of the period, months that have not begun left out (they are not zeros)."""
    rows = queryset.annotate(month=TruncMonth(field)).order_by().values("month").annotate(n=Count("id"))
    counts = {_as_date(row["month"]): row["n"] for row in rows}
    return [{"month": f"{m:%Y-%m}", "label": f"{m.month}月", "count": counts.get(m, 0)}
            for m in period.months() if m <= today]


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def published_by_category(items) -> list[dict]:
    rows = (items.annotate(category=Coalesce("catalogue_node__parent__code", "catalogue_node__code"))
            .order_by().values("category")
            .annotate(n=Count("id"), name=Min(Coalesce("catalogue_node__parent__name", "catalogue_node__name"))))
    ordered = sorted(rows, key=lambda r: (_CATALOGUE_ORDER.get(r["category"], len(_CATALOGUE_ORDER)), r["category"]))
    return [{"code": r["category"], "name": r["name"], "count": r["n"]} for r in ordered]


def timeliness(items, calendar: WorkdayCalendar) -> dict:
    """第26条 on the items of the period: one working-day count per distinct (成文, 发布) pair."""
    pairs = items.order_by().values("written_on", "published_on").annotate(n=Count("id"))
    total = on_time = 0
    years = set()
    for row in pairs:
        total += row["n"]
        if calendar.working_days_between(row["written_on"], row["published_on"]) <= LIMIT_WORKING_DAYS:
            on_time += row["n"]
        years.update(range(row["written_on"].year, row["published_on"].year + 1))
    unconfirmed = sorted(y for y in years if not calendar.is_confirmed(dt.date(y, 1, 1)))
    return {"limit_working_days": LIMIT_WORKING_DAYS, "published": total, "on_time": on_time, "late": total - on_time,
            "share": round(on_time / total, 4) if total else None, "unconfirmed_years": unconfirmed}


def overdue_filter(period: Period, today: dt.date) -> Q:
    """Deadline in the period (and already passed), not met: the one definition of 逾期 here."""
    last = min(period.end, today - dt.timedelta(days=1))
    return (Q(due_on__gte=period.start, due_on__lte=last, clock_state__in=RUNNING_CLOCKS)
            & (Q(closed_on__isnull=True) | Q(closed_on__gt=F("due_on"))))


def weighted_median(counts: Counter) -> float | None:
    """Median of values given as {value: how many}; the mean of the middle two for an even total."""
    total = sum(counts.values())
    if not total:
        return None
    ordered = sorted(counts.items())
    middle = ((total - 1) // 2, total // 2)  # zero-based positions of the middle value(s)
    found, seen = [], 0
    for value, n in ordered:
        for position in middle:
            if seen <= position < seen + n:
                found.append(value)
        seen += n
    return (found[0] + found[1]) / 2


def handling_days(closed, calendar: WorkdayCalendar) -> dict:
    pairs = closed.order_by().values("received_on", "closed_on").annotate(n=Count("id"))
    days = Counter()
    for row in pairs:
        days[calendar.working_days_between(row["received_on"], row["closed_on"])] += row["n"]
    return {"cases": sum(days.values()), "median_working_days": weighted_median(days),
            "max_working_days": max(days) if days else None}


def applications(agency_ids, period: Period, calendar: WorkdayCalendar, today: dt.date) -> dict:
    cases = Application.objects.filter(agency__in=agency_ids).order_by()
    in_period = counted_span(period, today)
    totals = cases.aggregate(
        received=Count("id", filter=Q(received_on__range=in_period)),
        closed=Count("id", filter=Q(closed_on__range=in_period)),
        overdue=Count("id", filter=overdue_filter(period, today)),
        overdue_open=Count("id", filter=overdue_filter(period, today) & Q(closed_on__isnull=True)),
    )
    by_type = dict(cases.filter(received_on__range=in_period).values_list("applicant_type").annotate(Count("id")))
    by_reply = cases.filter(closed_on__range=in_period).values_list("reply_type").annotate(Count("id"))
    groups = Counter()
    for reply_type, n in by_reply:
        groups[report_row_for(reply_type)[:3] if reply_type else NO_OUTCOME[0]] += n
    outcomes = [{"group": code, "label": label, "count": groups.get(code, 0)} for code, label in OUTCOME_GROUPS]
    if groups.get(NO_OUTCOME[0]):
        outcomes.append({"group": NO_OUTCOME[0], "label": NO_OUTCOME[1], "count": groups[NO_OUTCOME[0]]})
    return {
        **totals,
        "overdue_by_month": _by_month(cases.filter(overdue_filter(period, today)), "due_on", period, today),
        "by_outcome": outcomes,
        "by_applicant_type": [{"type": value, "label": label, "count": by_type.get(value, 0)}
                              for value, label in ApplicantType.choices],
        "handling": handling_days(cases.filter(closed_on__range=in_period), calendar),
    }


def fees(agency_ids, period: Period, today: dt.date) -> dict:
    cases = Application.objects.filter(agency__in=agency_ids).order_by()
    in_period = counted_span(period, today)
    noticed = ClockEvent.objects.filter(application=OuterRef("pk"), kind=EventKind.FEE_NOTICE, on__range=in_period)
    charged = cases.filter(Exists(noticed)).aggregate(count=Count("id"), yuan=Sum("fee_amount"))
    paid = cases.filter(fee_paid_on__range=in_period).aggregate(count=Count("id"), yuan=Sum("fee_amount"))
    return {"notices": charged["count"], "charged_yuan": charged["yuan"] or 0,
            "paid": paid["count"], "paid_yuan": paid["yuan"] or 0}


def compute(agencies, period: Period, *, today: dt.date | None = None, calendar: WorkdayCalendar | None = None) -> dict:
    """The figures for ``agencies`` (a list) and ``period``. No permission check: see stats_build."""
    today = today or timezone.localdate()
    calendar = calendar or WorkdayCalendar.load()
    ids = [a.pk for a in agencies]
    items = published_items(ids, period, today)
    return {
        "published": {"total": items.count(), "by_month": _by_month(items, "published_on", period, today),
                      "by_category": published_by_category(items)},
        "timeliness": timeliness(items, calendar),
        "applications": applications(ids, period, calendar, today),
        "fees": fees(ids, period, today),
    }


def stats_build(*, actor, agency_code: str, period, include_subordinates: bool = False,
                today: dt.date | None = None) -> dict:
    """The statistics of one agency (or with include_subordinates its area) for ``period``
    (a Period or its code, e.g. "2026-Q1"), as JSON-ready data: the one door for the staff page
    and `gongkai stats`."""
    today = today or timezone.localdate()
    period = period if isinstance(period, Period) else parse_period(period, today=today)
    agency = find_agency(actor, agency_code)
    agencies = agencies_covered(actor, agency, include_subordinates=include_subordinates)
    notes = []
    if period.end >= today:
        notes.append(f"{period.label}尚未结束，数字截至{today.year}年{today.month}月{today.day}日。")
    figures = compute(agencies, period, today=today)
    if figures["timeliness"]["unconfirmed_years"]:
        years = "、".join(f"{y}年" for y in figures["timeliness"]["unconfirmed_years"])
        notes.append(f"{years}的节假日安排尚未录入，发布时效按周一至周五计算。")
    return {
        "agency": {"code": agency.code, "name": agency.name},
        "period": period.as_json(),
        "include_subordinates": include_subordinates,
        "included_agencies": [{"code": a.code, "name": a.name} for a in agencies],
        "as_of": min(today, period.end).isoformat(),
        **figures,
        "notes": notes,
    }
