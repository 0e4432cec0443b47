from django.db.models import Count, Q

from gongkai.workdays.calendar import PACKAGE_YEARS
from gongkai.workdays.models import DayKind, HolidayNotice

# 元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节: every annual notice since 2008 covers all seven.
STATUTORY_FESTIVALS = 7


def thin_notice_years() -> list[tuple[int, int]]:
    """Years the package does not know whose entered notices list fewer holiday ranges than festivals.

    Once any notice for a year exists the whole year counts as announced, so a notice entered
    only in part would silently turn the missing festivals into working days.
    """
    rows = (
        HolidayNotice.objects.exclude(year__in=PACKAGE_YEARS).values("year")
        .annotate(holidays=Count("ranges", filter=Q(ranges__kind=DayKind.HOLIDAY))).order_by("year")
    )
    return [(row["year"], row["holidays"]) for row in rows if row["holidays"] < STATUTORY_FESTIVALS]
