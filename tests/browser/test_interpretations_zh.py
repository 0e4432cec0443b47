"""A citizen on a phone (zh-CN) opens a policy and finds its 解读 by form, and each 解读 leads back;
a clerk records a 回应关切 with the time its concern surfaced through the date-and-time picker."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from gongkai.conftest import World
from gongkai.disclosure import services
from gongkai.disclosure.catalogue import ensure_catalogue
from gongkai.disclosure.models import CatalogueNode, ConcernResponse, Genre, TopicCategory
from tests.browser.second_factor import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def published(world, title, node, files=(), **overrides):
    data = {
        "title": title, "written_on": dt.date(2026, 11, 2), "disclosure": "proactive", "body": "正文。",
        "catalogue_node": CatalogueNode.objects.get(agency=world.agency_a, code=node),
        "topic": TopicCategory.objects.get(name="财政", parent__name="财政、金融、审计"),
        "genre": Genre.objects.get(name="通知"), **overrides,
    }
    item = services.item_create(actor=world.drafter_a, agency=world.agency_a, data=data, files=files)
    services.item_submit(actor=world.drafter_a, item=item)
    services.item_approve(actor=world.first_a, item=item)
    return services.item_approve(actor=world.second_a, item=item)


def test_a_phone_user_finds_a_policys_interpretations_by_form_and_back(live_server, new_page, snap):
    world = World()
    world.first_a = world.person("first_a", world.agency_a, "first_reviewer")
    world.second_a = world.person("second_a", world.agency_a, "second_reviewer")
    ensure_catalogue(world.agency_a)
    policy = published(world, "测试县财政专项资金管理办法", "xzgfxwj")
    reading = {"interprets": policy, "genre": Genre.objects.get(name="政策解读")}
    published(world, "《财政专项资金管理办法》解读", "zcjd", interpretation_form="text", **reading)
    published(world, "一图读懂财政专项资金管理办法", "zcjd", files=[("图解.png", PNG)], interpretation_form="graphic",
              **reading)
    published(world, "财政专项资金管理十问十答", "zcjd", interpretation_form="qa", **reading)

    page = new_page(390, 844)
    page.goto(f"{live_server.url}/agencies/{world.agency_a.code}/items/{policy.pk}/")
    section = page.locator("#interpretations")
    expect(section.locator("h3")).to_have_text(["文字解读", "图解", "问答"])
    snap(page, "interpretations-01-policy-by-form")
    section.get_by_role("link", name="一图读懂财政专项资金管理办法").click()
    expect(page.locator("#interprets")).to_contain_text("本文为政策解读（图解）")
    expect(page.get_by_role("link", name="图解.png")).to_be_visible()
    snap(page, "interpretations-02-graphic")
    page.locator("#interprets").get_by_role("link", name="测试县财政专项资金管理办法").click()
    expect(page.locator("h1.item-title")).to_have_text("测试县财政专项资金管理办法")


def test_a_clerk_records_a_concern_response_with_the_time_it_surfaced(live_server, page, snap):
    world = World()
    ensure_catalogue(world.agency_a)
    sign_in(page, live_server.url, "drafter_a")
    page.goto(f"{live_server.url}/staff/a/{world.agency_a.code}/items/new/")
    page.fill("#id_title", "关于网传停水的情况说明")
    page.fill("#id_written_on", "2026-11-02")
    page.select_option("#id_catalogue_node", label="回应关切")
    page.select_option("#id_topic", value=page.locator(
        "#id_topic optgroup[label='财政、金融、审计'] option", has_text="财政").first.get_attribute("value"))
    page.select_option("#id_genre", label="回应关切")
    page.fill("#id_body", "经核实，停水仅涉及建设路北段。")
    page.fill("#id_concern_description", "网传城区将连续停水三天")
    page.fill("#id_concern_surfaced_at", "2026-11-02T08:30")
    page.select_option("#id_concern_level", value="general")
    snap(page, "concern-01-form")
    page.click("button:has-text('保存')")
    expect(page.locator(".message")).to_contain_text("已保存为草稿")
    expect(page.locator("#concern")).to_contain_text("2026年11月2日 08:30")
    concern = ConcernResponse.objects.get()
    assert concern.surfaced_at == dt.datetime(2026, 11, 2, 0, 30, tzinfo=dt.UTC)
    # Opened again, the picker shows the stored time, so saving unchanged keeps it.
    page.goto(f"{live_server.url}/staff/a/{world.agency_a.code}/items/{concern.item_id}/edit/")
    expect(page.locator("#id_concern_surfaced_at")).to_have_value("2026-11-02T08:30")
    page.click("button:has-text('保存')")
    expect(page.locator(".errorlist")).to_have_count(0)
    concern.refresh_from_db()
    assert concern.surfaced_at == dt.datetime(2026, 11, 2, 0, 30, tzinfo=dt.UTC)
