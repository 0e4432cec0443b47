
from django import template

from gongkai.cn_format import cn_date

register = template.Library()


# 2026年1月5日 — the form used in letters and on public pages.
register.filter("cn_date", cn_date)
