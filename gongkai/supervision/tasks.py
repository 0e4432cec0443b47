"""The supervision app's background task: the daily monitoring run (电子监察), queued by cron or a
systemd timer with `gongkai monitor run --background` and run by the worker like every other task."""

import datetime as dt

from django_tasks import task


@task()
def run_monitoring(on: str | None = None) -> dict:
    """Evaluate every active agency's indicators as of ``on`` (ISO date; today when empty), as the
    operator: the findings it opens, closes and reopens are audited with no actor ("cli")."""
    from gongkai.supervision.monitoring import monitor_run

    summary = monitor_run(actor=None, on=dt.date.fromisoformat(on) if on else None)
    return {**summary.as_json(), "summary": f"电子监察：新发现问题 {summary.opened} 个，已消除 {summary.closed} 个。"}


@task()
def check_links() -> dict:
    """Check the links of every published item (links.py); the next monitoring run reports the broken ones."""
    from gongkai.supervision.links import check_links as run

    result = run()
    return {**result, "summary": f"链接检查：{result['items']} 条信息中的 {result['links']} 个链接，无法访问 {result['broken']} 个。"}


@task()
def crawl_site(base_url: str | None = None) -> dict:
    """Crawl the portal's own pages from its sitemap and check the links on them (site_crawl.py)."""
    from gongkai.supervision.site_crawl import crawl_site as run

    result = run(base_url=base_url)
    return {**result.as_dict(), "summary": f"网站页面链接检查：{result.pages} 个页面上的 {result.links} 个链接，"
                                           f"无法访问 {result.broken} 个。"}
