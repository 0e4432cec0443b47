"""Journey (phone, zh-CN): through the 政民互动 column a citizen comments on an open consultation
and asks a question; staff publish the comment, answer, and after the period publish the 采纳情况反馈;
the citizen finds both answers from the column.

The staff steps go through the services here: their pages have their own journeys
(test_consultation_comment_and_feedback.py, test_enquiry_answered.py). This one is the column's."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from gongkai.conftest import BEIJING, World, on
from gongkai.consultations import services as consultation_services
from gongkai.consultations.tests.conftest import opened
from gongkai.enquiries import services as enquiry_services
from gongkai.enquiries.models import Enquiry
from tests.browser.test_daily_use_zh import axe_problems

DAY = dt.date(2026, 9, 16)  # the last day of the consultation
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), on(DAY)]
PHONE = (390, 844)
QUESTION = "社区养老服务站什么时候开始提供助餐服务？"
ANSWER = "首批服务站将于2027年1月开始提供助餐服务。"


def fits(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page is {overflow}px wider than a 390px phone screen"


def test_citizen_takes_part_and_finds_the_answers_in_the_column(live_server, new_page, snap, time_machine):
    world = World()
    base = live_server.url
    consultation = opened(world, title="关于《测试县社区养老服务站建设标准（征求意见稿）》公开征求意见的公告",
                          starts_on=DAY - dt.timedelta(days=15), ends_on=DAY)

    citizen = new_page(*PHONE)
    citizen.goto(base)
    citizen.get_by_role("navigation", name="主导航").get_by_role("link", name="政民互动").click()
    expect(citizen.locator("h1")).to_have_text("政民互动")
    fits(citizen)
    snap(citizen, "hudong-01-column-phone")
    citizen.locator("#hudong-open").get_by_role("link", name=consultation.title).click()
    citizen.fill("#id_body", "建议服务站同时提供老年人送餐上门服务。")
    citizen.click("button:has-text('提交意见')")
    expect(citizen.locator("#receipt-code")).to_be_visible()

    citizen.get_by_role("navigation", name="主导航").get_by_role("link", name="政民互动").click()
    citizen.locator("#hudong-actions").get_by_role("link", name="我要留言").click()
    citizen.select_option("#id_agency", label=world.agency_a.name)
    citizen.fill("#id_subject", "养老服务站助餐服务")
    citizen.fill("#id_body", QUESTION)
    citizen.fill("#id_name", "李明")
    citizen.fill("#id_phone", "13800138000")
    citizen.click("button:has-text('提交留言')")
    expect(citizen.locator("#tracking-code")).to_be_visible()

    # Staff publish the comment and answer the question; the next day, the period over, the feedback.
    comment = consultation.comments.get()
    consultation_services.comment_moderate(actor=world.drafter_a, comment=comment, publish=True)
    enquiry_services.answer(actor=world.drafter_a, enquiry=Enquiry.objects.get(), text=ANSWER)
    time_machine.move_to(dt.datetime.combine(DAY + dt.timedelta(days=1), dt.time(9), tzinfo=BEIJING))
    consultation_services.feedback_publish(actor=world.drafter_a, consultation=consultation,
                                           summary="收到意见1条，采纳1条。", dispositions={comment.pk: ("adopted", "")})

    citizen.goto(base)
    citizen.get_by_role("navigation", name="主导航").get_by_role("link", name="政民互动").click()
    expect(citizen.locator("#hudong-open")).to_contain_text("目前没有正在征集意见的草案")
    expect(citizen.locator("#hudong-closed")).to_contain_text("收到意见1条，采纳（含部分采纳）1条，2026年9月17日公布采纳情况")
    expect(citizen.locator("#hudong-figures")).to_contain_text("按时答复率100.0%")
    fits(citizen)
    assert axe_problems(citizen) == []
    snap(citizen, "hudong-02-answers-in-column-phone")
    citizen.locator("#hudong-answers").get_by_role("link", name="养老服务站助餐服务").click()
    expect(citizen.locator("#answer")).to_contain_text(ANSWER)
    expect(citizen.locator("body")).not_to_contain_text("13800138000")
    citizen.go_back()
    citizen.locator("#hudong-closed").get_by_role("link", name=consultation.title).click()
    expect(citizen.locator("#comments")).to_contain_text("送餐上门服务")
    expect(citizen.locator("#feedback-counts")).to_contain_text("采纳1条")

    desktop = new_page()
    desktop.goto(f"{base}/agencies/{world.agency_a.code}/hudong/")
    expect(desktop.locator("#hudong-answers")).to_contain_text("养老服务站助餐服务")
    assert axe_problems(desktop) == []
    snap(desktop, "hudong-03-agency-column-desktop")
