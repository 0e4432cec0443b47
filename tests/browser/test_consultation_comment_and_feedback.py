"""Journey (phone, zh-CN): a citizen comments on an open consultation and keeps the receipt code;
staff publish the comment; after the period ends they publish the 采纳情况反馈; the citizen finds
the answer to their comment with the receipt code and on the consultation's page."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from gongkai.conftest import BEIJING, World, on
from gongkai.consultations import services
from tests.browser.second_factor import sign_in

DAY = dt.date(2026, 9, 16)
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), on(DAY)]
PHONE = (390, 844)


def test_comment_moderate_feedback_and_find_it_on_a_phone(live_server, new_page, snap, time_machine):
    world = World()
    base, code = live_server.url, world.agency_a.code
    consultation = services.consultation_create(actor=world.drafter_a, agency=world.agency_a, data={
        "title": "关于《测试县社区养老服务站建设标准（征求意见稿）》公开征求意见的公告", "kind": "policy",
        "draft_body": "第一条 社区养老服务站建筑面积不少于二百平方米。\n\n第二条 服务站应提供助餐服务。",
        "starts_on": DAY - dt.timedelta(days=15), "ends_on": DAY, "channel_email": "yl@example.cn"})
    services.consultation_open(actor=world.drafter_a, consultation=consultation)

    # The citizen finds the consultation in the government-wide column and comments.
    citizen = new_page(*PHONE)
    citizen.goto(f"{base}/consultations/")
    citizen.get_by_role("link", name=consultation.title).click()
    expect(citizen.locator("#phase")).to_contain_text("正在征集")
    citizen.fill("#id_body", "<b>x")  # too short and markup-free: refused with its own message
    citizen.click("button:has-text('提交意见')")
    expect(citizen.locator("#error-summary")).to_contain_text("意见内容至少5个字")
    citizen.fill("#id_body", "建议第二条增加老年人送餐上门服务，方便行动不便的老人。")
    citizen.fill("#id_phone", "13912345678")
    assert citizen.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    snap(citizen, "consult-01-comment-form-phone")
    citizen.click("button:has-text('提交意见')")
    receipt = citizen.locator("#receipt-code").inner_text().strip()
    assert len(receipt) == 10
    snap(citizen, "consult-02-receipt")

    # Staff publish the comment from the moderation queue.
    staff = new_page(*PHONE)
    sign_in(staff, base, "drafter_a")
    staff.goto(f"{base}/staff/a/{code}/consultations/queue/")
    expect(staff.locator(".comment").first).to_contain_text(receipt)
    staff.click("button:has-text('公开')")
    expect(staff.locator(".message").first).to_contain_text("已公开")
    expect(staff.locator("#queue-empty")).to_be_visible()

    # The next day the period is over: staff write and publish the feedback.
    time_machine.move_to(dt.datetime.combine(DAY + dt.timedelta(days=1), dt.time(9), tzinfo=BEIJING))
    staff = new_page(*PHONE)
    sign_in(staff, base, "drafter_a")
    staff.goto(f"{base}/staff/a/{code}/consultations/{consultation.pk}/")
    expect(staff.locator("#phase")).to_contain_text("征集结束")
    staff.click("text=编辑并发布采纳情况")
    comment_id = consultation.comments.get().pk
    staff.select_option(f"#d-{comment_id}", label="部分采纳")
    staff.fill("#summary", "征集期内共收到意见1条，部分采纳1条。")
    staff.click("button:has-text('发布采纳情况')")
    expect(staff.locator(".message").first).to_contain_text("请说明理由")  # partly adopted needs a reason
    staff.fill(f"#r-{comment_id}", "送餐上门纳入第二条，由街道统筹实施。")
    staff.click("button:has-text('发布采纳情况')")
    expect(staff.locator(".message").first).to_contain_text("采纳情况已发布")
    snap(staff, "consult-03-feedback-published")

    # The citizen finds the answer with the receipt code, and on the consultation's page.
    citizen.goto(f"{base}/consultations/receipt/")
    citizen.fill("#receipt-q", receipt)
    citizen.click("button:has-text('查询')")
    expect(citizen.locator("#receipt-disposition")).to_contain_text("部分采纳：送餐上门纳入第二条")
    citizen.locator("#receipt-result a").click()
    expect(citizen.locator("#feedback-counts")).to_contain_text("收到意见1条，公开1条；采纳0条，部分采纳1条")
    expect(citizen.locator("#comments")).to_contain_text("送餐上门服务")
    assert "13912345678" not in citizen.content()
    snap(citizen, "consult-04-feedback-found")
