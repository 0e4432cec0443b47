"""The 2008–2018 report (format "2008", see outline.py) built from gongkai's records.

Counting conventions, the same as the table formats' wherever the question is the same (compute.py):

* 二 主动公开 — the published, proactively disclosed items with ``published_on`` in the year, by the
  first-level node of the agency's catalogue (目录) they are filed under (a child node counts in its
  parent); a roll-up adds categories of the same name. ``cumulative`` = published by 31 December.
  Withdrawn items are not counted (they are not public now; their past is in the audit trail).
* 三 依申请公开 — a case counts in the year it was received (``received``, by channel) and in the year
  it was closed (its outcome, mapped by outline.OUTCOME_BY_REPLY_TYPE); open on 1 January →
  ``carried_over``, on 31 December → ``carried_forward`` (compute.OUTCOME_YEAR_CONVENTION).
* 四 收费 — applications whose fee was paid in the year (``fee_paid_on``): their number and the sum of
  ``fee_amount``. 减免 (2007年条例第二十八条) is not recorded: those cells are null for staff.
* 五 复议诉讼 — table 四 of compute.build_report (filing-year convention), unchanged.
"""

import datetime as dt

from django.db.models import Count, F, Min, Q, Sum
from django.db.models.functions import Coalesce

from gongkai.applications.models import Application
from gongkai.applications.replies import ReplyType
from gongkai.disclosure.models import Disclosure, Item
from gongkai.disclosure.models import Status as ItemStatus
from gongkai.errors import ServiceError
from gongkai.reports.computation import outline
from gongkai.reports.computation.compute import Coverage, build_report
from gongkai.reports.computation.schema import FORMAT_2008

# (row, column) of "fees" that gongkai does not record: left null for staff to enter.
STAFF_ENTERED = (("waived", "cases"), ("waived", "yuan"))
STAFF_ENTERED_NOTE = ("第四部分的减免件数和金额不在本系统登记，须由工作人员填报。依申请公开、收费和复议诉讼的数字"
                      "只包括在本系统登记的申请，本系统启用前的申请须另行核实。")


def proactive(agency, year: int, include_subordinates: bool) -> dict:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    items = Item.objects.filter(Coverage(agency, include_subordinates).of("agency"), status=ItemStatus.PUBLISHED,
                                disclosure=Disclosure.PROACTIVE)
    groups = items.filter(published_on__range=(start, end)).order_by().values(
        name=Coalesce(F("catalogue_node__parent__name"), F("catalogue_node__name")),
    ).annotate(count=Count("pk"), order=Min(Coalesce(F("catalogue_node__parent__sort_order"),
                                                     F("catalogue_node__sort_order"))))
    ranked = sorted(groups, key=lambda g: (g["order"], g["name"]))
    categories = outline.categories_with_shares([(g["name"], g["count"]) for g in ranked])
    return {"total": sum(c["count"] for c in categories),
            "cumulative": items.filter(published_on__lte=end).count(),
            "categories": categories}


def requests(agency, year: int, include_subordinates: bool) -> dict:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    in_year = Application.objects.filter(Coverage(agency, include_subordinates).of("agency"), received_on__lte=end).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=start))
    counts = in_year.aggregate(cases=Count("pk"), received=Count("pk", filter=Q(received_on__gte=start)),
                               answered=Count("pk", filter=Q(closed_on__lte=end)))
    channels = dict.fromkeys(outline.CHANNELS, 0)
    for channel, count in in_year.filter(received_on__gte=start).order_by().values_list("channel").annotate(
            Count("pk")):
        channels[channel] += count
    outcomes = dict.fromkeys(outline.OUTCOMES, 0)
    closed = in_year.filter(closed_on__lte=end)
    for reply_type, count in closed.order_by().values_list("reply_type").annotate(Count("pk")):
        if reply_type not in ReplyType.values:
            gap = closed.exclude(reply_type__in=ReplyType.values).order_by("-received_on", "-id").first()
            raise ServiceError("REPORT_REPLY_TYPE_MISSING",
                               f"申请{gap.tracking_code}已办结但没有答复类型，无法计入办理结果，请先核实该申请。")
        outcomes[outline.OUTCOME_BY_REPLY_TYPE[reply_type]] += count
    return {"received": counts["received"], "channels": channels, "carried_over": counts["cases"] - counts["received"],
            "outcomes": outcomes, "answered": counts["answered"], "carried_forward": counts["cases"] - counts["answered"]}


def fees(agency, year: int, include_subordinates: bool) -> dict:
    paid = Application.objects.filter(Coverage(agency, include_subordinates).of("agency"), fee_paid_on__year=year)
    totals = paid.aggregate(cases=Count("pk"), amount=Sum("fee_amount"))
    return {"charged": {"cases": totals["cases"], "yuan": totals["amount"] or 0},
            "waived": {"cases": None, "yuan": None}}


def build_outline_report(agency, year: int, *, include_subordinates: bool = False) -> dict:
    """The format "2008" report of one agency (or a roll-up) for a year before 2019."""
    tables = build_report(agency, year, include_subordinates=include_subordinates)
    return {
        "agency": tables["agency"],
        "year": year,
        "format": FORMAT_2008,
        "proactive": proactive(agency, year, include_subordinates),
        "requests": requests(agency, year, include_subordinates),
        "fees": fees(agency, year, include_subordinates),
        "review_litigation": tables["review_litigation"],
        "agency_code": tables["agency_code"],
        "included_agencies": tables["included_agencies"],
        "notes": [STAFF_ENTERED_NOTE],
    }
