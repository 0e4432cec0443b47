"""Working-day arithmetic on the official holiday calendar.

Statutory periods in the regulation are counted in working days (工作日): 条例第30条 (7 WD to
ask for a correction), 第32条 (15 WD for a third party), 第33条 (20 WD to reply, one extension of
up to 20 WD), 第26条 (20 WD to publish proactively). A working day is a Monday–Friday that is not
a public holiday, plus any weekend day the State Council swaps in (调休).

Sources, strongest first: a notice an administrator entered (HolidayNotice), then the
chinese-calendar package for the years it covers, then, for a year neither covers, the holidays
fixed by 《全国年节及纪念日放假办法》 (workdays.statutory) on top of the weekday rule. Results that
depend on such a year say so (``calendar_confirmed=False``); they are not silently trusted.
"""

import bisect
import datetime as dt
from dataclasses import dataclass, field

import chinese_calendar
from chinese_calendar import constants as package_days
from django.conf import settings

from gongkai.workdays.statutory import statutory_holidays

PACKAGE_YEARS = frozenset(range(min(package_days.holidays).year, max(package_days.holidays).year + 1))
# The package's own lookups scan its tables on every call; sets make a day an O(1) question.
PACKAGE_HOLIDAYS = frozenset(package_days.holidays)
PACKAGE_WORKDAYS = frozenset(package_days.workdays)


@dataclass(frozen=True)
class Deadline:
    start: dt.date
    working_days: int
    due: dt.date
    calendar_confirmed: bool
    unconfirmed_years: tuple[int, ...] = field(default=())
    counts_start_day: bool = False

    def as_json(self) -> dict:
        return {
            "from": self.start.isoformat(),
            "working_days": self.working_days,
            "due": self.due.isoformat(),
            "calendar_confirmed": self.calendar_confirmed,
        }


class WorkdayCalendar:
    """A snapshot of the calendar: package data plus overrides. Cheap to query in a loop."""

    def __init__(self, overrides: dict[dt.date, bool] | None = None, announced_years=frozenset()):
        self.overrides = dict(overrides or {})
        self.announced_years = frozenset(announced_years) | PACKAGE_YEARS
        self._exceptions: list[dt.date] | None = None  # sorted on first use (_exceptions_between)

    @classmethod
    def load(cls) -> "WorkdayCalendar":
        from gongkai.workdays.models import DayKind, HolidayNotice, NoticeRange

        overrides: dict[dt.date, bool] = {}
        for kind, start, end in NoticeRange.objects.values_list("kind", "start", "end"):
            day = start
            while day <= end:
                overrides[day] = kind == DayKind.WORKDAY
                day += dt.timedelta(days=1)
        years = set(HolidayNotice.objects.values_list("year", flat=True).distinct())
        return cls(overrides, years)

    def is_confirmed(self, day: dt.date) -> bool:
        return day.year in self.announced_years

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if day in PACKAGE_WORKDAYS:
            return True
        if day in PACKAGE_HOLIDAYS:
            return False
        if day.year not in self.announced_years and day in statutory_holidays(day.year):
            return False
        return day.weekday() < 5

    def day_info(self, day: dt.date) -> dict:
        """What the calendar says about one day, and why (for the calendar page)."""
        name = None
        if day in self.overrides:
            source = "notice"
        elif day.year in PACKAGE_YEARS:
            source = "package"
        elif day.year not in self.announced_years:
            source = "statutory_estimate"  # the 办法's fixed days; 调休 still unknown
            name = statutory_holidays(day.year).get(day)
        else:
            source = "weekday_rule"
        if source == "package":
            is_holiday, holiday = chinese_calendar.get_holiday_detail(day)
            name = holiday if is_holiday and holiday else None
        return {"date": day, "working": self.is_working_day(day), "source": source, "holiday_name": name}

    def add_working_days(self, start: dt.date, working_days: int, *, counts_start_day: bool | None = None) -> Deadline:
        """The date on which the ``working_days``-th working day falls.

        Convention (settings.GONGKAI_DEADLINE_COUNTS_START_DAY, default False): the start date is
        not counted, so 20 WD from a Monday receipt ends on the fourth Friday after it in a week
        without holidays. With the setting on, a start date that is a working day is day one.
        """
        if working_days < 0:
            raise ValueError("working_days must not be negative")
        if counts_start_day is None:
            counts_start_day = settings.GONGKAI_DEADLINE_COUNTS_START_DAY
        day = start
        counted = 0
        seen_years = {start.year}
        if counts_start_day and working_days > 0 and self.is_working_day(start):
            counted = 1
        while counted < working_days:
            day += dt.timedelta(days=1)
            seen_years.add(day.year)
            if self.is_working_day(day):
                counted += 1
        unconfirmed = tuple(sorted(y for y in seen_years if y not in self.announced_years))
        return Deadline(start, working_days, day, not unconfirmed, unconfirmed, counts_start_day)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 if end <= start).

        Used for "published within 20 working days of being made" (条例第26条). Whole weeks are
        counted as five working days and only the exceptions inside them (holidays, 调休) are
        looked up, so a span of years costs as much as its exceptions, not its days.
        """
        if end <= start:
            return 0
        days = (end - start).days
        weeks, rest = divmod(days, 7)
        count = weeks * 5
        day = start + dt.timedelta(days=weeks * 7)
        for _ in range(rest):
            day += dt.timedelta(days=1)
            count += day.weekday() < 5
        # Correct the weekday rule by every exception that falls in (start, end].
        for exception in self._exceptions_between(start, end):
            weekday = exception.weekday() < 5
            working = self.is_working_day(exception)
            if working != weekday:
                count += 1 if working else -1
        # And by the statutory holidays of years with neither a notice nor package data.
        for year in range(start.year, end.year + 1):
            if year in self.announced_years:
                continue
            for day in statutory_holidays(year):
                if start < day <= end and day.weekday() < 5 and day not in self.overrides:
                    count -= 1
        return count

    def _exceptions_between(self, start: dt.date, end: dt.date):
        # Every day that may break the weekday rule, sorted once per snapshot: a span's exceptions
        # are two bisections away (the workbench asks for 30 spans a page).
        if self._exceptions is None:
            self._exceptions = sorted(set(self.overrides) | PACKAGE_HOLIDAYS | PACKAGE_WORKDAYS)
        low = bisect.bisect_right(self._exceptions, start)
        return self._exceptions[low:bisect.bisect_right(self._exceptions, end, lo=low)]


def add_working_days(start: dt.date, working_days: int, *, counts_start_day: bool | None = None) -> Deadline:
    return WorkdayCalendar.load().add_working_days(start, working_days, counts_start_day=counts_start_day)


def is_working_day(day: dt.date) -> bool:
    return WorkdayCalendar.load().is_working_day(day)
