"""条例第26条: proactively disclosed information is published within 20 working days of being made
or changed. Delays are counted on the official working-day calendar."""

from dataclasses import dataclass

from django.utils import timezone

from gongkai.disclosure.models import Disclosure, Item, Status
from gongkai.workdays.calendar import WorkdayCalendar

LIMIT_WORKING_DAYS = 20
WARN_AT_WORKING_DAYS = 15


@dataclass(frozen=True)
class Delay:
    item: Item
    working_days: int
    confirmed: bool


def _delay(calendar: WorkdayCalendar, item: Item, until) -> Delay:
    days = calendar.working_days_between(item.written_on, until)
    years = range(item.written_on.year, until.year + 1)
    return Delay(item, days, all(calendar.is_confirmed(until.replace(year=y, month=1, day=1)) for y in years))


def published_late(agency, *, since=None) -> list[Delay]:
    """Published proactive items that took more than 20 working days."""
    calendar = WorkdayCalendar.load()
    items = Item.objects.filter(agency=agency, disclosure=Disclosure.PROACTIVE, published_on__isnull=False)
    if since:
        items = items.filter(published_on__gte=since)
    delays = (_delay(calendar, item, item.published_on) for item in items.order_by("-published_on"))
    return [d for d in delays if d.working_days > LIMIT_WORKING_DAYS]


def pending_near_limit(agency, *, today=None) -> list[Delay]:
    """Unpublished proactive items 15 or more working days after they were made."""
    calendar = WorkdayCalendar.load()
    today = today or timezone.localdate()
    items = Item.objects.filter(agency=agency, disclosure=Disclosure.PROACTIVE, status__in=[Status.DRAFT, Status.IN_REVIEW])
    delays = (_delay(calendar, item, today) for item in items.order_by("written_on"))
    return [d for d in delays if d.working_days >= WARN_AT_WORKING_DAYS]


def on_time_share(agency, *, year: int) -> tuple[int, int]:
    """(published on time, published) for a year, for statistics and the dashboard."""
    calendar = WorkdayCalendar.load()
    items = Item.objects.filter(agency=agency, disclosure=Disclosure.PROACTIVE, published_on__year=year)
    total = on_time = 0
    for item in items.only("written_on", "published_on"):
        total += 1
        on_time += calendar.working_days_between(item.written_on, item.published_on) <= LIMIT_WORKING_DAYS
    return on_time, total
