"""The public portal in a real browser: home, agency index and an agency page render with the
demo county; the skip link is the first stop for keyboard users; 大字版 enlarges the root font.

Screenshots: portal home at 1280 px and at 390 px (phone). With GONGKAI_DOCS_SCREENSHOT=1 the
desktop home is also written to docs/screenshot-portal.png (the README's picture); it is not
rewritten on every run because its dates follow the day the demo data is built.
"""

import os

import pytest
from playwright.sync_api import expect

from gongkai.demo.builder import build_county
from gongkai.demo.items import build_items
from tests.conftest import REPO_ROOT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def county():
    """The demo county's organisation with one item per agency (the full demo takes ~20 s)."""
    agencies = build_county(with_items=False)
    build_items(agencies, per_agency=1)
    return agencies


def root_font_size(page) -> float:
    # After a click that navigates, the new page's class can be there before its stylesheet: wait
    # for the load event (the stylesheet is not always fresh in the cache: a moved clock, --today).
    page.wait_for_load_state()
    return float(page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)"))


def test_portal_pages_render_with_skip_link_and_large_text(live_server, new_page, snap, county):
    base = live_server.url
    page = new_page(1280, 960)
    county_gov = county["qhxzf"]

    response = page.goto(f"{base}/")
    assert response.status == 200
    expect(page.get_by_role("heading", name="各级人民政府")).to_be_visible()
    expect(page.get_by_role("link", name=county_gov.name).first).to_be_visible()
    snap(page, "portal-01-home-1280")
    if os.environ.get("GONGKAI_DOCS_SCREENSHOT") == "1":
        page.screenshot(path=str(REPO_ROOT / "docs" / "screenshot-portal.png"))

    # Keyboard: the first Tab lands on the skip link, which is then visible and leads to <main>.
    skip = page.locator("a.skip-link")
    expect(skip).to_have_text("跳到主要内容")
    expect(skip).to_have_attribute("href", "#main")
    expect(page.locator("main#main")).to_have_count(1)
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0, f"skip link stays off screen when focused: {box}"
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{base}/#main")

    # 大字版 switches the root font size and survives navigation (cookie); 标准字号 switches back.
    standard = root_font_size(page)
    page.get_by_role("link", name="大字版").click()
    expect(page).to_have_url(f"{base}/")
    expect(page.locator("html")).to_have_class("large-text")
    large = root_font_size(page)
    assert large > standard * 1.2, (standard, large)
    snap(page, "portal-02-home-large-text")

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="政府信息公开").click()
    expect(page.get_by_role("heading", name="机构导航", level=1)).to_be_visible()
    assert root_font_size(page) == large
    expect(page.get_by_role("link", name="清河县财政局")).to_be_visible()
    page.get_by_role("link", name="标准字号").click()
    expect(page.get_by_role("heading", name="机构导航", level=1)).to_be_visible()
    assert root_font_size(page) == standard
    snap(page, "portal-03-agency-index")

    page.get_by_role("link", name="清河县财政局").click()
    expect(page.get_by_role("heading", name="清河县财政局", level=1)).to_be_visible()
    expect(page.get_by_role("navigation", name="当前位置")).to_contain_text("机构导航")
    expect(page.get_by_role("heading", name="最新公开信息")).to_be_visible()
    snap(page, "portal-04-agency-page")


def test_portal_home_fits_a_phone(live_server, new_page, snap, screenshots_dir, county):
    page = new_page(390, 844)
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="政府信息公开", level=1)).to_be_visible()
    # No sideways scrolling on a phone.
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"page is {overflow}px wider than a 390px phone screen"
    snap(page, "portal-05-home-390")

