"""A 监督 at the county reads the statistics of the county and everything below it, with the
three charts drawn as inline SVG, then the quarterly ranking, and downloads it as Excel.

Screenshots: stats-01-area (the statistics page), stats-02-ranking.
"""

import datetime as dt

import pytest
from playwright.sync_api import expect

from gongkai.conftest import on
from gongkai.demo import county as demo
from gongkai.demo.builder import build_county
from gongkai.demo.items import build_items
from gongkai.stats.periods import previous_quarter
from tests.browser.second_factor import pass_second_factor

# The demo dates its items back from today and the charts show this year by month: early in
# January the first columns are empty. The journey happens on an ordinary day in the autumn.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), on(dt.date(2026, 9, 16))]


@pytest.fixture
def agencies():
    agencies = build_county(with_items=False)
    build_items(agencies, per_agency=4)
    return agencies


def test_supervisor_reads_area_statistics_and_the_quarterly_ranking(live_server, page, snap, agencies):
    base, county_gov = live_server.url, agencies["qhxzf"]
    page.goto(f"{base}/staff/login/")
    page.locator("input[name=username]").fill("qh_jiandu")
    page.locator("input[name=password]").fill(demo.PASSWORD)
    page.get_by_role("button", name="登录").click()
    pass_second_factor(page, "qh_jiandu")
    expect(page).to_have_url(f"{base}/staff/")

    page.goto(f"{base}/staff/a/{county_gov.code}/")
    page.get_by_role("link", name="统计与排名").click()
    page.get_by_label("含下级机关").check()
    page.get_by_role("button", name="统计").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("政府信息公开统计")
    expect(page.get_by_text("汇总范围")).to_be_visible()
    for title in ("各月主动公开信息发布数", "办结申请的办理结果（年度报告表三分组）", "各月到期未按时答复的申请数"):
        expect(page.get_by_role("img", name=title)).to_be_visible()
    expect(page.locator("figure.chart svg rect.column").first).to_be_visible()
    snap(page, "stats-01-area")

    page.get_by_role("link", name="下级机关季度排名").click()
    quarter = previous_quarter()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{county_gov.name}下级机关政府信息公开{quarter.label}排名")
    expect(page.get_by_text("评分规则")).to_be_visible()
    snap(page, "stats-02-ranking")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
