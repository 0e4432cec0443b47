"""Journey: the county office types in a township's published annual report; a cell typed as words
is refused next to the cell; once saved, an R1 violation is shown under 表三 beside the cells of its
column; the office corrects the cell and the report checks clean; the list links to it."""

import pytest
from playwright.sync_api import expect

from gongkai.conftest import World
from gongkai.reports.rendering import entry
from gongkai.reports.tests.conftest import clean_report
from tests.browser.test_apply_and_reply import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TOWN = "测试县某某镇人民政府"


def test_type_in_check_next_to_the_cells_and_correct(live_server, page, snap):
    world = World()
    base, code = live_server.url, world.county_gov.code
    report = clean_report()
    values = {f"c-{entry.name_of(p)}": entry.stored_text(report, p) for p in entry.form_cells("2021")}

    sign_in(page, base, "supervisor")
    page.goto(f"{base}/staff/a/{code}/reports/external/")
    page.click("#new-external")
    expect(page.locator("#table-三 caption")).to_have_text("表三　收到和处理政府信息公开申请情况")
    page.fill("#x-agency", TOWN)
    page.select_option("#x-year", "2025")
    page.evaluate("""values => { for (const [name, value] of Object.entries(values)) {
        document.querySelector(`[name='${name}']`).value = value; } }""", values)
    # As typed from the published page: one cell in words, and 结转下年度 misread as 5.
    page.fill("[id='c-requests.granted.natural']", "三十")
    page.fill("[id='c-requests.carried_forward.natural']", "5")
    page.fill("[id='c-requests.carried_forward.total']", "5")
    page.click("#save-report")
    expect(page.locator("[id='err-requests.granted.natural']")).to_contain_text("“三十”不是数字")
    expect(page.locator("#input-errors")).to_contain_text("报告未保存")
    snap(page, "external-01-bad-cell")

    page.fill("[id='c-requests.granted.natural']", "30")
    page.click("#save-report")
    expect(page.locator(".message").first).to_contain_text("已录入")
    note = page.locator("#finding-1")
    expect(note).to_contain_text("表三“自然人”列：第一项加第二项之和应等于第三项")
    expect(page.locator("td.flag-violation[data-cell='requests.carried_forward.natural']")).to_be_visible()
    expect(page.locator("td.flag-violation[data-cell='requests.new.natural']")).to_be_visible()
    page.locator("#table-三").scroll_into_view_if_needed()
    snap(page, "external-02-r1-next-to-cells")

    page.fill("[id='c-requests.carried_forward.natural']", "4")
    page.fill("[id='c-requests.carried_forward.total']", "4")
    page.click("#save-report")
    expect(page.locator(".message").first).to_contain_text("更正已保存")
    expect(page.locator("#findings")).to_contain_text("未发现不符合勾稽关系之处")
    expect(page.locator("td.flag-violation")).to_have_count(0)

    page.goto(f"{base}/staff/a/{code}/reports/external/?year=2025")
    expect(page.locator("#external-reports")).to_contain_text(TOWN)
    snap(page, "external-03-list")
