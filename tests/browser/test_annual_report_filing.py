"""Journey: a department drafts its annual report and files it; the county office returns it with a
comment; it is fixed, accepted and published; a visitor downloads the PDF from the portal."""

import datetime as dt
import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from gongkai.conftest import World
from gongkai.reports.computation.compute import STAFF_ENTERED
from tests.browser.test_apply_and_reply import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RETURN_COMMENT = "第五部分请补充上年度问题的整改情况。"


# Publishing renders the PDF and the DOCX before it answers: seconds alone, past the default 15 s
# on a machine busy with other test runs.
PUBLISH_TIMEOUT_MS = 60_000


def click_step(page, button_text, message, *, timeout=None):
    page.click(f"button:has-text('{button_text}')", timeout=timeout)
    expect(page.locator(".message").first).to_contain_text(message, timeout=timeout)


def test_draft_submit_return_fix_accept_publish_download(live_server, new_page, snap, tmp_path):
    world = World()
    base, code, year = live_server.url, world.agency_a.code, dt.date.today().year - 1

    # The department's 信息员 starts the report and fills in what gongkai does not record.
    drafter = new_page()
    sign_in(drafter, base, "drafter_a")
    drafter.goto(f"{base}/staff/a/{code}/reports/?year={year}")
    drafter.click("#start-report")
    expect(drafter.locator("#readiness")).to_contain_text("尚有由工作人员填报的单元格未填")
    for row, column in STAFF_ENTERED:
        drafter.fill(f"[id='cell-active.{row}.{column}']", "2")
        drafter.fill(f"[name='source-active.{row}.{column}']", "县政务服务平台导出")
    drafter.click("#save-cells")
    expect(drafter.locator(".message").first).to_contain_text("填报数字已保存")
    # The text areas come pre-filled with the generated draft; staff add their own words.
    draft = drafter.input_value("[id='section-一']")
    assert draft.startswith("（一）主动公开") and "测试县财政局" in draft and "请补充" not in draft
    # What to write is shown beside the box, not inside it.
    assert "主动公开、依申请公开、政府信息管理、平台建设、监督保障" in drafter.inner_text("[id='prompt-一']")
    drafter.fill("[id='section-五']", "存在的问题：信息发布不够及时。改进措施：按月通报。")
    drafter.click("#save-text")
    expect(drafter.locator(".message").first).to_contain_text("报告文字已保存")
    snap(drafter, "report-01-drafted")
    click_step(drafter, "提交内部审核", "已提交内部审核")
    report_url = drafter.url

    # The leader signs it off and files it with the county government.
    leader = new_page()
    sign_in(leader, base, "leader_a")
    leader.goto(report_url)
    click_step(leader, "审核通过并报送", "报告已报送")

    # The county office sees it in its overview and sends it back with a comment.
    office = new_page()
    sign_in(office, base, "supervisor")
    office.goto(f"{base}/staff/a/{world.county_gov.code}/reports/overview/?year={year}")
    expect(office.locator("#summary")).to_contain_text("已报送 1 家")
    snap(office, "report-02-overview")
    office.click("table >> text=测试县财政局")
    office.fill("#decide-comment", RETURN_COMMENT)
    click_step(office, "退回重新编制", "已退回重新编制")

    # The 信息员 reads the comment, fixes section 五 and sends it round again.
    drafter.goto(report_url)
    expect(drafter.locator("#return-comment")).to_contain_text(RETURN_COMMENT)
    drafter.fill("[id='section-五']", "存在的问题：信息发布不够及时。上年度问题已整改：建立月度通报制度。")
    drafter.click("#save-text")
    click_step(drafter, "提交内部审核", "已提交内部审核")
    leader.goto(report_url)
    click_step(leader, "审核通过并报送", "报告已报送")
    office.goto(report_url)
    click_step(office, "审核通过", "已审核通过")
    snap(office, "report-03-accepted")

    # The office admin publishes it on the portal.
    admin = new_page()
    sign_in(admin, base, "admin_a")
    admin.goto(report_url)
    click_step(admin, "在门户网站发布", "报告已在门户网站年度报告栏目发布", timeout=PUBLISH_TIMEOUT_MS)

    # A visitor finds it in the 年度报告 column and downloads the PDF.
    visitor = new_page()
    visitor.goto(f"{base}/reports/")
    visitor.click(f"text=测试县财政局{year}年政府信息公开工作年度报告")
    expect(visitor.locator("article")).to_contain_text("上年度问题已整改：建立月度通报制度。")
    snap(visitor, "report-04-portal")
    with visitor.expect_download() as download:
        visitor.click("#download-pdf")
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "测试县财政局" in text and "上年度问题已整改" in text and "【草稿】" not in text
