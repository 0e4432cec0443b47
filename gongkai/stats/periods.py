"""Statistics periods: a calendar month, quarter or year, written 2026-03, 2026-Q1 or 2026.

The same spelling is used by the staff page, the command line and the JSON output, so a period
has one name everywhere. Periods are whole calendar units; one that has not ended yet is counted
up to today (the figures say so).
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone

from gongkai.errors import ServiceError

# 条例（2007年，国务院令第492号）施行之年: nothing in gongkai can be older than that.
FIRST_YEAR = 2008
QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}
KINDS = ("year", "quarter", "month")

_SHAPE = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<q>[Qq])(?P<quarter>\d{1,2})|(?P<month>\d{1,2})))?$")


@dataclass(frozen=True)
class Period:
    kind: str  # year | quarter | month
    year: int
    number: int = 0  # quarter 1–4 or month 1–12; 0 for a year

    @property
    def start(self) -> dt.date:
        if self.kind == "year":
            return dt.date(self.year, 1, 1)
        if self.kind == "quarter":
            return dt.date(self.year, 3 * self.number - 2, 1)
        return dt.date(self.year, self.number, 1)

    @property
    def end(self) -> dt.date:
        last_month = {"year": 12, "quarter": 3 * self.number, "month": self.number}[self.kind]
        if last_month == 12:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, last_month + 1, 1) - dt.timedelta(days=1)

    @property
    def code(self) -> str:
        if self.kind == "year":
            return str(self.year)
        if self.kind == "quarter":
            return f"{self.year}-Q{self.number}"
        return f"{self.year}-{self.number:02d}"

    @property
    def label(self) -> str:
        if self.kind == "year":
            return f"{self.year}年"
        if self.kind == "quarter":
            return f"{self.year}年{QUARTER_NAMES[self.number]}"
        return f"{self.year}年{self.number}月"

    def months(self) -> list[dt.date]:
        """The first day of every month in the period, in order (the x axis of the monthly charts)."""
        first = self.start.month
        last = self.end.month
        return [dt.date(self.year, m, 1) for m in range(first, last + 1)]

    def as_json(self) -> dict:
        return {"code": self.code, "label": self.label, "kind": self.kind, "year": self.year, "number": self.number,
                "start": self.start.isoformat(), "end": self.end.isoformat()}


def _invalid(text) -> ServiceError:
    return ServiceError("STATS_PERIOD_INVALID",
                        f"统计周期“{text}”无法识别，请写作年份（如2026）、季度（如2026-Q1）或月份（如2026-03）。",
                        field="period")


def parse_period(text, *, today: dt.date | None = None) -> Period:
    """The period a code names; ServiceError with a stable code when it names none or lies outside
    FIRST_YEAR … the current period."""
    match = _SHAPE.match(str(text if text is not None else "").strip())
    if not match:
        raise _invalid(text)
    year = int(match["year"])
    if match["q"]:
        quarter = int(match["quarter"])
        if not 1 <= quarter <= 4:
            raise ServiceError("STATS_QUARTER_INVALID", f"季度应为1至4（第一至第四季度），不能是“{quarter}”。",
                               field="period")
        period = Period("quarter", year, quarter)
    elif match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise ServiceError("STATS_MONTH_INVALID", f"月份应为1至12，不能是“{month}”。", field="period")
        period = Period("month", year, month)
    else:
        period = Period("year", year)
    today = today or timezone.localdate()
    if year < FIRST_YEAR or period.start > today:
        raise ServiceError("STATS_PERIOD_OUT_OF_RANGE",
                           f"统计周期应在{FIRST_YEAR}年至本期（{today.year}年{today.month}月）之间，"
                           f"“{period.label}”不在此范围内。", field="period")
    return period


def parse_quarter(text, *, today: dt.date | None = None) -> Period:
    """A period that must be a quarter (the ranking is quarterly, as the 每季度排名通报 is)."""
    period = parse_period(text, today=today)
    if period.kind != "quarter":
        raise ServiceError("STATS_QUARTER_REQUIRED", f"排名按季度进行，请选择季度（如{period.year}-Q1），"
                           f"而不是“{period.label}”。", field="period")
    return period


def current_quarter(today: dt.date | None = None) -> Period:
    today = today or timezone.localdate()
    return Period("quarter", today.year, (today.month - 1) // 3 + 1)


def previous_quarter(today: dt.date | None = None) -> Period:
    """The last finished quarter: what a 每季度排名通报 at the start of a quarter is about."""
    current = current_quarter(today)
    if current.number == 1:
        return Period("quarter", current.year - 1, 4)
    return Period("quarter", current.year, current.number - 1)
