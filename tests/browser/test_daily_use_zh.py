"""Daily use in a zh-CN browser (issue 20): the journeys a clerk and a citizen on a phone take
every day, in Chinese locale and the Asia/Shanghai time zone (see tests/browser/conftest.py)."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from gongkai.conftest import PASSWORD, World
from gongkai.disclosure import services as disclosure_services
from gongkai.disclosure.catalogue import ensure_catalogue
from gongkai.disclosure.models import CatalogueNode, Genre, Item, TopicCategory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base, username):
    page.goto(f"{base}/staff/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("h1").first).to_be_visible()


def draft_item(world, **overrides):
    ensure_catalogue(world.agency_a)
    data = {
        "title": "关于做好2026年度财政预算公开工作的通知", "summary": "", "document_number": "",
        "written_on": dt.date(2026, 11, 1), "reassess_on": dt.date(2027, 5, 4),
        "catalogue_node": CatalogueNode.objects.get(agency=world.agency_a, code="yjs"),
        "topic": TopicCategory.objects.get(name="财政", parent__name="财政、金融、审计"),
        "genre": Genre.objects.get(name="通知"), "disclosure": "on_request", "exemption_reason": "X16-2",
        "body": "请按要求做好预算公开工作。",
    }
    data.update(overrides)
    return disclosure_services.item_create(actor=world.drafter_a, agency=world.agency_a, data=data)


def test_an_item_saved_unchanged_keeps_its_dates(live_server, page, snap):
    """A zh-CN browser drops a locale-formatted value (2026/11/01) from a type=date input; saving
    the untouched form then failed with 成文日期「这个字段是必填项」."""
    world = World()
    item = draft_item(world)
    sign_in(page, live_server.url, "drafter_a")
    page.goto(f"{live_server.url}/staff/a/{world.agency_a.code}/items/{item.pk}/edit/")
    expect(page.locator("#id_written_on")).to_have_value("2026-11-01")
    expect(page.locator("#id_reassess_on")).to_have_value("2027-05-04")
    snap(page, "daily-01-item-edit")
    page.click("button:has-text('保存')")
    expect(page.locator(".message").first).to_be_visible()
    expect(page.locator(".errorlist")).to_have_count(0)
    item.refresh_from_db()
    assert (item.written_on, item.reassess_on) == (dt.date(2026, 11, 1), dt.date(2027, 5, 4))
    assert Item.objects.count() == 1
