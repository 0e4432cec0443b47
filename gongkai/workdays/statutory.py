"""The public holidays fixed by law, for a year whose State Council notice is not yet known.

《全国年节及纪念日放假办法》 (as revised by 国务院令第795号, in force from 1 January 2025),
第二条: 全体公民放假的节日 — 元旦 1 day (1 January); 春节 4 days (农历除夕 and 正月初一至初三);
清明节 1 day (the 清明 solar term); 劳动节 2 days (1–2 May); 端午节 1 day (农历五月初五);
中秋节 1 day (农历八月十五); 国庆节 3 days (1–3 October).
第六条: such a holiday falling on a Saturday or Sunday is made up on a working day (补假). The law
does not say which day; the yearly notices put it right after the holiday, and so does this
estimate (likewise for a day two festivals share). The weekend days the notices swap in (调休上班) cannot be foreseen and are not guessed.

A deadline counted on these days is still an estimate (``calendar_confirmed=False``) until an
administrator enters the year's notice. Lunar dates come from ``lunardate``; the 清明 day from
chinese-calendar's solar-term table.
"""

import datetime as dt
from functools import lru_cache

from chinese_calendar import get_solar_terms
from lunardate import LunarDate

ONE_DAY = dt.timedelta(days=1)


def _span(first: dt.date, days: int) -> list[dt.date]:
    return [first + ONE_DAY * n for n in range(days)]


def _qingming(year: int) -> dt.date:
    return next(day for day, name in get_solar_terms(dt.date(year, 4, 1), dt.date(year, 4, 10)) if name == "清明")


@lru_cache(maxsize=256)
def statutory_holidays(year: int) -> dict[dt.date, str]:
    """Every day off that the 办法 fixes for ``year``, 补假 included, with the festival's name."""
    new_year = LunarDate(year, 1, 1).to_solar_date()
    festivals = [
        ("元旦", _span(dt.date(year, 1, 1), 1)),
        ("春节", _span(new_year - ONE_DAY, 4)),
        ("清明节", [_qingming(year)]),
        ("劳动节", _span(dt.date(year, 5, 1), 2)),
        ("端午节", [LunarDate(year, 5, 5).to_solar_date()]),
        ("中秋节", [LunarDate(year, 8, 15).to_solar_date()]),
        ("国庆节", _span(dt.date(year, 10, 1), 3)),
    ]
    days: dict[dt.date, str] = {}
    owed: dict[str, int] = {}
    for name, festival in festivals:
        # A day that is already another festival's (中秋 on 1–3 October) is owed as well, as the
        # notices of such years (2020, 2028) give the combined holiday its full length.
        owed[name] = sum(day in days for day in festival) + sum(day.weekday() >= 5 for day in festival if day not in days)
        days.update({day: name for day in festival if day not in days})
    for name, festival in festivals:
        owing, day = owed[name], festival[-1]
        while owing:
            day += ONE_DAY
            if day.weekday() < 5 and day not in days:
                days[day] = f"{name}（补假）"
                owing -= 1
    return {day: name for day, name in days.items() if day.year == year}
