"""How dates are written for people: 2026年1月5日, in letters, on public pages and in findings."""

import datetime as dt


def cn_date(value: dt.date | dt.datetime | None) -> str:
    """2026年1月5日 (no leading zeros); "" for no date."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    return f"{value.year}年{value.month}月{value.day}日"
