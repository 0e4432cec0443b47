"""The quarterly ranking of subordinate agencies (每季度排名通报).

County offices "汇总各单位公开信息条数，每季度末对各单位公开信息条数、质量进行排名并通报结果". gongkai
ranks on what its records show: how much each agency published in the quarter, and how much of it
was published on time (条例第26条, 20 working days from 成文日期).

Scoring rule (SCORING_RULE is the same sentence for the page and the workbook):

    得分 = 60 × 本机关发布数 ÷ 参评机关中最多的发布数 ＋ 40 × 按时发布率

* 发布数 and 按时发布率 are those of statistics.py (主动公开 items whose 发布日期 is in the quarter).
* An agency that published nothing scores 0 on both parts (no items, no timeliness to credit);
  if nobody published anything every agency scores 0.
* Scores are compared exactly (as fractions), not after rounding. Equal scores share a rank
  (并列) and the next rank is skipped — 1, 2, 2, 4 — as in sports tables; agencies sharing a rank
  are listed by 机构代码, which says nothing about their order.
* Ranked are the active agencies below the chosen agency in the tree (not the agency itself: it
  is the one issuing the 通报). The person must be able to view every one of them.
"""

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count
from django.utils import timezone

from gongkai.disclosure.timeliness import LIMIT_WORKING_DAYS
from gongkai.errors import ServiceError
from gongkai.stats.coverage import find_agency, require_all_visible, subordinates
from gongkai.stats.periods import Period, parse_quarter
from gongkai.stats.statistics import published_items
from gongkai.workdays.calendar import WorkdayCalendar

PUBLISHED_POINTS = 60
TIMELINESS_POINTS = 40
SCORING_RULE = (f"得分＝{PUBLISHED_POINTS}×本机关发布数÷参评机关中最多的发布数＋{TIMELINESS_POINTS}×按时发布率"
                f"（{LIMIT_WORKING_DAYS}个工作日内发布的比例，条例第二十六条）；未发布信息的机关两项均为0分。"
                "得分相同的并列同一名次，下一名次顺延（如1、2、2、4），并列机关按机构代码排列。")


@dataclass(frozen=True)
class Entry:
    code: str
    name: str
    published: int
    on_time: int


@dataclass(frozen=True)
class Ranked:
    rank: int
    tied: bool
    entry: Entry
    score: Fraction

    def as_json(self) -> dict:
        e = self.entry
        return {"rank": self.rank, "tied": self.tied, "code": e.code, "name": e.name, "published": e.published,
                "on_time": e.on_time, "on_time_share": round(e.on_time / e.published, 4) if e.published else None,
                "score": round(float(self.score), 2)}


def score(entry: Entry, most_published: int) -> Fraction:
    if not entry.published:
        return Fraction(0)
    volume = Fraction(entry.published, most_published)
    share = Fraction(entry.on_time, entry.published)
    return PUBLISHED_POINTS * volume + TIMELINESS_POINTS * share


def rank(entries: list[Entry]) -> list[Ranked]:
    """Standard competition ranking on exact scores; ties listed by agency code."""
    most = max((e.published for e in entries), default=0)
    scored = sorted(((score(e, most), e) for e in entries), key=lambda pair: (-pair[0], pair[1].code))
    counts: dict[Fraction, int] = {}
    for value, _ in scored:
        counts[value] = counts.get(value, 0) + 1
    ranked, previous, current_rank = [], None, 0
    for position, (value, entry) in enumerate(scored, start=1):
        if value != previous:
            current_rank, previous = position, value
        ranked.append(Ranked(current_rank, counts[value] > 1, entry, value))
    return ranked


def entries_for(agencies, period: Period, calendar: WorkdayCalendar, today: dt.date) -> list[Entry]:
    """Published and on-time counts per agency: one GROUP BY (agency, 成文日期, 发布日期)."""
    rows = (published_items([a.pk for a in agencies], period, today).order_by()
            .values("agency_id", "written_on", "published_on").annotate(n=Count("id")))
    published, on_time = {}, {}
    for row in rows:
        agency_id = row["agency_id"]
        published[agency_id] = published.get(agency_id, 0) + row["n"]
        if calendar.working_days_between(row["written_on"], row["published_on"]) <= LIMIT_WORKING_DAYS:
            on_time[agency_id] = on_time.get(agency_id, 0) + row["n"]
    return [Entry(a.code, a.name, published.get(a.pk, 0), on_time.get(a.pk, 0)) for a in agencies]


def ranking_build(*, actor, agency_code: str, quarter, today: dt.date | None = None) -> dict:
    """The ranking of the agencies below ``agency_code`` for ``quarter`` (a Period or "2026-Q1")."""
    today = today or timezone.localdate()
    period = quarter if isinstance(quarter, Period) else parse_quarter(quarter, today=today)
    if period.kind != "quarter":
        period = parse_quarter(period.code, today=today)
    agency = find_agency(actor, agency_code)
    ranked_agencies = [a for a in subordinates(agency) if a.is_active]
    if not ranked_agencies:
        raise ServiceError("STATS_NO_SUBORDINATES", f"“{agency.name}”没有下级机关，无法排名。请选择上级机关。",
                           field="agency")
    require_all_visible(actor, ranked_agencies, purpose="下级机关排名")
    ranked = rank(entries_for(ranked_agencies, period, WorkdayCalendar.load(), today))
    notes = []
    if period.end >= today:
        notes.append(f"{period.label}尚未结束，排名按截至{today.year}年{today.month}月{today.day}日的数字计算。")
    return {
        "agency": {"code": agency.code, "name": agency.name},
        "period": period.as_json(),
        "scoring_rule": SCORING_RULE,
        "weights": {"published": PUBLISHED_POINTS, "timeliness": TIMELINESS_POINTS},
        "limit_working_days": LIMIT_WORKING_DAYS,
        "rows": [r.as_json() for r in ranked],
        "notes": notes,
    }
