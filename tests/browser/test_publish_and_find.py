"""Journey: a 信息员 drafts an item with an attachment; 初审 masks a flagged ID number and approves;
复审 approves; a visitor finds it through portal search and the ID number is nowhere on the page."""

import re

import pytest
from playwright.sync_api import expect

from gongkai.conftest import World
from gongkai.disclosure.models import Genre, TopicCategory
from gongkai.disclosure.taxonomy import seed_taxonomy
from gongkai.pii.detectors import id_check_char
from tests.browser.second_factor import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ID17 = "32010219851204301"
ID_NUMBER = ID17 + id_check_char(ID17)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def sign_out(page):
    page.click("text=退出登录")


def test_draft_review_mask_publish_and_find(live_server, page, new_page, snap, tmp_path):
    seed_taxonomy(TopicCategory, Genre)
    world = World()
    world.person("first_a", world.agency_a, "first_reviewer")
    world.person("second_a", world.agency_a, "second_reviewer")
    base, code = live_server.url, world.agency_a.code

    # 信息员 drafts the item with a PDF attachment and an ID number in the body.
    sign_in(page, base, "drafter_a")
    page.goto(f"{base}/staff/a/{code}/items/new/")
    page.fill("#id_title", "关于公布城乡低保资金发放情况的通知")
    page.fill("#id_document_number", "清民发〔2026〕8号")
    page.fill("#id_written_on", "2026-11-02")
    # Both lists are grouped by their parent (<optgroup>), so an option is picked within its group.
    page.select_option("#id_catalogue_node", value=page.locator(
        "#id_catalogue_node optgroup[label='重点领域信息'] option", has_text="社会救助").get_attribute("value"))
    page.select_option("#id_topic", value=page.locator(
        "#id_topic optgroup[label='民政、扶贫、救灾'] option", has_text="社会福利").get_attribute("value"))
    page.select_option("#id_genre", label="通知")
    page.fill("#id_body", f"经审核，申请人居民身份证号{ID_NUMBER}的低保资格符合规定。\n\n本通知自发布之日起施行。")
    attachment = tmp_path / "发放明细.pdf"
    attachment.write_bytes(PDF)
    page.set_input_files("#id_attachments", str(attachment))
    snap(page, "publish-01-draft-form")
    page.click("button:has-text('保存')")
    expect(page.locator(".message")).to_contain_text("已保存为草稿")
    page.click("button:has-text('提交审核')")
    expect(page.locator(".message")).to_contain_text("已提交审核")
    item_url = page.url
    sign_out(page)

    # 初审 sees the flagged ID number, cannot approve yet, masks it, approves.
    sign_in(page, base, "first_a")
    page.goto(item_url)
    expect(page.locator("#pii-findings")).to_contain_text("居民身份证号")
    snap(page, "publish-02-review-pii-flagged")
    page.click("#approve")
    expect(page.locator(".message-error")).to_contain_text("疑似个人信息")
    page.click("#mask-all")
    expect(page.locator(".message")).to_contain_text("去标识化")
    expect(page.locator("#public-body")).not_to_contain_text(ID_NUMBER)
    snap(page, "publish-03-masked")
    page.click("#approve")
    expect(page.locator(".message")).to_contain_text("审核通过")
    sign_out(page)

    # 复审 (保密审查) approves and publishes.
    sign_in(page, base, "second_a")
    page.goto(item_url)
    page.click("#approve")
    expect(page.locator(".message")).to_contain_text("审核通过")
    expect(page.locator("dl.meta")).to_contain_text(f"{code}/")
    sign_out(page)

    # A visitor searches for a string that crosses word boundaries and opens the item.
    visitor = new_page()
    visitor.goto(f"{base}/search/?q=资金发放")
    expect(visitor.locator("#result-count")).to_contain_text("1")
    expect(visitor.locator("mark").first).to_have_text("资金发放")
    snap(visitor, "publish-04-search-results")
    visitor.click("text=关于公布城乡低保")
    expect(visitor.locator("h1.item-title")).to_have_text("关于公布城乡低保资金发放情况的通知")
    expect(visitor.locator("body")).to_contain_text("发放明细.pdf")
    content = visitor.content()
    assert ID_NUMBER not in content and re.search(r"\d{6}\*{8}\d{3}[\dX]", content)
    snap(visitor, "publish-05-item-page")
    visitor.context.close()
