"""The <meta> tags government sites carry for site-census and search tools (《政府网站网页设计
规范》, annex to 《政府网站发展指引》, 国办发〔2017〕47号): SiteName, SiteDomain and SiteIDCode on
every page; ColumnName, ColumnDescription, ColumnKeywords and ColumnType on a column's pages;
ArticleTitle, PubDate (YYYY-MM-DD HH:MM), ContentSource, Keywords, Description on an article.
The templates write them (portal/_site_meta.html, _column_meta.html, _article_meta.html)."""

import datetime as dt

from django.utils import timezone

# The 栏目类型 of every page of the disclosure column (the 指引's 信息发布 class, in the name the
# 专栏 itself carries).
COLUMN_TYPE = "政府信息公开"
# The 政民互动 pages belong to the 指引's 互动交流 class of columns.
PARTICIPATION_COLUMN_TYPE = "互动交流"


def pub_date(item) -> str:
    """The article's 发布日期 with the time it went public when that was the same day (an item
    imported from an older site keeps its own date; its import time would be wrong)."""
    day = item.published_on
    first = item.first_published_at and timezone.localtime(item.first_published_at)
    if first is not None and (day is None or first.date() == day):
        return f"{first:%Y-%m-%d %H:%M}"
    return f"{day:%Y-%m-%d} 00:00" if isinstance(day, dt.date) else ""
