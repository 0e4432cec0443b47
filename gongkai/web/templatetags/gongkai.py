import datetime as dt

from django import template

register = template.Library()


@register.filter
def cn_date(value):
    """2026年1月5日 — the form used in letters and on public pages."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    return f"{value.year}年{value.month}月{value.day}日"
