"""The county's 政务公开办 (监督) runs an assessment of the departments and townships, opens one
department's deductions and issues a 通报 naming a problem; the department answers and fixes it;
the next monitoring run re-checks and the 通报 shows the problem fixed.

Screenshots: supervision-01-ranking, supervision-02-deductions, supervision-03-notice,
supervision-04-answer, supervision-05-rechecked.
"""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gongkai.demo import county as demo
from gongkai.demo.builder import build_county
from gongkai.disclosure import services as items
from gongkai.disclosure.models import CatalogueNode, Genre, TopicCategory
from gongkai.supervision.assessment import presets_load
from gongkai.supervision.monitoring import monitor_run
from tests.browser.second_factor import sign_in as sign_in_with_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base, username):
    """A demo account's sign-in, second factor included (the demo accounts share one secret)."""
    sign_in_with_second_factor(page, base, username, demo.PASSWORD)
    expect(page).to_have_url(f"{base}/staff/")


def publish_news(agency):
    """The department posts a 工作动态 item through its own review chain (信息员 → 初审 → 复审)."""
    from django.contrib.auth import get_user_model

    people = {u.username: u for u in get_user_model().objects.filter(username__in=["czj_xxy", "czj_cs", "czj_fs"])}
    today = timezone.localdate()
    item = items.item_create(actor=people["czj_xxy"], agency=agency, data={
        "title": "县财政局召开预算公开工作推进会", "summary": "", "document_number": "", "written_on": today,
        "published_on": today, "catalogue_node": CatalogueNode.objects.get(agency=agency, code="gzdt"),
        "topic": TopicCategory.objects.get(name="财政", parent__name="财政、金融、审计"),
        "genre": Genre.objects.get(name="工作动态"), "disclosure": "proactive", "body": "会议部署了预算公开工作。"})
    items.item_submit(actor=people["czj_xxy"], item=item)
    items.item_approve(actor=people["czj_cs"], item=item)
    items.item_approve(actor=people["czj_fs"], item=item)


def test_office_assesses_issues_a_notice_and_the_recheck_closes_it(live_server, page, snap):
    agencies = build_county(with_items=False)
    county_gov, finance = agencies["qhxzf"], agencies["czj"]
    presets_load(actor=None)
    today = timezone.localdate()
    monitor_run(on=today)
    base = live_server.url

    sign_in(page, base, "qh_jiandu")
    page.goto(f"{base}/staff/a/{county_gov.code}/")
    page.get_by_role("link", name="监督考核").click()
    page.get_by_role("link", name="考核", exact=True).click()
    page.get_by_label("考核方案").select_option(label="政务公开工作考核（四个方面，示例）")
    page.get_by_label("考核名称").fill("第四季度政务公开考核")
    page.get_by_label("考核期开始（YYYY-MM-DD）").fill((today - dt.timedelta(days=90)).isoformat())
    page.get_by_label("考核期结束（YYYY-MM-DD）").fill(today.isoformat())
    page.get_by_label("申辩截止日期（YYYY-MM-DD）").fill((today + dt.timedelta(days=10)).isoformat())
    page.get_by_role("button", name="按平台记录计算").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("第四季度政务公开考核")
    expect(page.get_by_role("link", name=finance.name)).to_be_visible()
    snap(page, "supervision-01-ranking")

    page.get_by_role("link", name=finance.name).click()
    expect(page.get_by_role("cell", name="栏目不更新").first).to_be_visible()
    snap(page, "supervision-02-deductions")

    page.goto(f"{base}/staff/a/{county_gov.code}/supervision/notices/")
    page.get_by_label("标题").fill("关于政府信息公开栏目更新情况的通报")
    page.get_by_label("整改期限（YYYY-MM-DD）").fill((today + dt.timedelta(days=15)).isoformat())
    page.get_by_label(f"{finance.name}：工作动态，").first.check()
    page.get_by_role("button", name="发出通报").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("关于政府信息公开栏目更新情况的通报")
    expect(page.get_by_role("cell", name="未报送")).to_be_visible()
    notice_url = page.url
    snap(page, "supervision-03-notice")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载通报（Word）").click()
    assert download.value.suggested_filename.endswith(".docx")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载通报（PDF）").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert download.value.path().read_bytes()[:5] == b"%PDF-"

    page.get_by_role("button", name="退出登录").click()
    sign_in(page, base, "czj_admin")
    page.goto(f"{base}/staff/a/{finance.code}/supervision/")
    expect(page.get_by_text("关于政府信息公开栏目更新情况的通报")).to_be_visible()
    page.get_by_label("整改情况").fill("已明确专人每周更新工作动态栏目，本周已发布一条。")
    page.get_by_role("button", name="报送整改情况").click()
    expect(page.get_by_text("已报送整改情况，下次电子监察将复查。")).to_be_visible()
    snap(page, "supervision-04-answer")

    publish_news(finance)
    monitor_run(on=today)

    page.get_by_role("button", name="退出登录").click()
    sign_in(page, base, "qh_jiandu")
    page.goto(notice_url)
    expect(page.get_by_role("cell", name="复查已整改（问题已消除）")).to_be_visible()
    snap(page, "supervision-05-rechecked")
