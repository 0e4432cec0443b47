"""Daily use in a zh-CN browser (issue 20): the journeys a clerk and a citizen on a phone take
every day, in Chinese locale and the Asia/Shanghai time zone (see tests/browser/conftest.py)."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from gongkai.conftest import World
from gongkai.disclosure import services as disclosure_services
from gongkai.disclosure.catalogue import ensure_catalogue
from gongkai.disclosure.models import CatalogueNode, Genre, Item, TopicCategory
from tests.browser.second_factor import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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


ID17 = "32010219851204301"


def test_a_phone_user_sees_every_error_of_the_application_at_once(live_server, new_page, snap):
    from gongkai.pii.detectors import id_check_char

    world = World()
    page = new_page(390, 844)
    page.goto(f"{live_server.url}/agencies/{world.agency_a.code}/apply/")
    # Three wrong fields: the name left out, a phone number too short, an e-mail address without "@".
    page.fill("#id_id_number", ID17 + id_check_char(ID17))
    page.fill("#id_phone", "12345")
    page.fill("#id_email", "zxm.example.cn")
    page.fill("#id_description", "请公开城乡低保资金发放情况")
    page.click("button:has-text('提交申请')")

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert page.title().startswith("错误：")
    links = summary.locator("a")
    expect(links).to_have_count(3)
    assert [links.nth(i).get_attribute("href") for i in range(3)] == ["#id_applicant_name", "#id_phone", "#id_email"]
    expect(summary).to_contain_text("姓名或名称")
    expect(summary).to_contain_text("联系电话")
    expect(summary).to_contain_text("电子邮箱")
    body = page.locator("main").inner_text()
    assert "Email" not in body and "这个字段是必填项" not in body
    # Every id an input is described by exists on the page.
    described = page.eval_on_selector_all(
        "[aria-describedby]", "els => els.flatMap(e => e.getAttribute('aria-describedby').split(/\\s+/))")
    assert described and all(page.locator(f"#{ref}").count() == 1 for ref in described), described
    assert "id_phone_error" in described and "id_email_helptext" in described
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    snap(page, "daily-02-apply-errors-phone")

    links.nth(1).click()
    expect(page.locator("#id_phone")).to_be_focused()


def test_the_overdue_case_page_leads_with_the_clock_and_the_next_step(live_server, new_page, snap):
    from gongkai.applications.tests.conftest import register

    world = World()
    # Received 2 March 2026: due 30 March 2026 (第三十三条), long past on any day this test runs.
    case = register(world, received_on=dt.date(2026, 3, 2))
    page = new_page(1280, 900)
    sign_in(page, live_server.url, "drafter_a")
    page.goto(f"{live_server.url}/staff/a/{world.agency_a.code}/applications/{case.pk}/")
    standing = page.locator("#clock-standing")
    expect(standing).to_have_class(re.compile(r"\bclock-overdue\b"))
    expect(page.locator("#clock-headline")).to_have_text(re.compile(r"^超期\d+个工作日$"))
    expect(page.locator("#next-step")).to_contain_text("答复期限2026年3月30日已过（第三十三条），请立即作出答复")
    # The 7-working-day window for asking a correction (第三十条) ended long ago: no stale hint about it.
    expect(page.get_by_text("如需补正，应在")).to_have_count(0)
    # The clock comes before the applicant's details and the actions.
    assert page.evaluate("""() => {
        const clock = document.querySelector('#clock-standing'), meta = document.querySelector('dl.meta');
        return !!(clock.compareDocumentPosition(meta) & Node.DOCUMENT_POSITION_FOLLOWING);
    }""")
    # Every select on the page has an accessible name.
    unnamed = page.eval_on_selector_all(
        "select", "els => els.filter(e => !(e.labels.length || e.getAttribute('aria-label'))).map(e => e.name)")
    assert unnamed == []
    expect(page.get_by_label("答复类型")).to_be_visible()
    expect(page.get_by_label("不予公开理由（第十四至十六条）")).to_be_visible()
    snap(page, "daily-03-overdue-case")


def test_a_clerk_reads_one_persons_changes_in_the_audit_log(live_server, page, snap):
    from gongkai.orgs import services as org_services

    world = World()
    item = draft_item(world)
    disclosure_services.item_update(actor=world.drafter_a, item=item, data={
        "title": "关于做好2026年度财政预算公开工作的补充通知", "written_on": dt.date(2026, 11, 2),
        "genre": Genre.objects.get(name="公告")})
    org_services.role_grant(actor=world.admin_a, user=world.drafter_b, agency=world.agency_a, role="leader")

    sign_in(page, live_server.url, "admin_a")
    page.goto(f"{live_server.url}/staff/a/{world.agency_a.code}/audit/")
    page.get_by_label("操作人").select_option(label="测试drafter_a（drafter_a）")
    page.click("button:has-text('筛选')")
    rows = page.locator("table.audit-table > tbody > tr")
    expect(rows).to_have_count(2)  # the draft and its edit, not the role granted by admin_a
    for i in range(2):
        expect(rows.nth(i).locator("td").nth(1)).to_have_text("测试drafter_a（drafter_a）")
    edit = rows.first
    expect(edit.locator("td").nth(3)).to_contain_text("政府信息")
    diff = edit.locator("table.diff")
    expect(diff.locator("tr", has_text="成文日期")).to_contain_text("2026-11-01")
    expect(diff.locator("tr", has_text="成文日期")).to_contain_text("2026-11-02")
    expect(diff.locator("tr", has_text="体裁")).to_contain_text("通知")
    expect(diff.locator("tr", has_text="体裁")).to_contain_text("公告")
    assert "written_on" not in page.locator("main").inner_text()
    snap(page, "daily-04-audit-by-person")
    edit.locator("td").nth(3).get_by_role("link", name="关于做好2026年度财政预算公开工作的补充通知").click()
    expect(page).to_have_url(re.compile(rf"/staff/a/{world.agency_a.code}/items/{item.pk}/$"))


def overflow(page) -> int:
    """How far the page is wider than the viewport (0 when nothing scrolls sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def too_wide(page) -> list[str]:
    """The outermost elements sticking out on the right, for the failure message."""
    return page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5
                     && !(e.parentElement && e.parentElement.getBoundingClientRect().right > window.innerWidth + 0.5))
        .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : ''))
        .slice(0, 5)""")


def test_no_page_scrolls_sideways_on_a_390px_phone(live_server, new_page, snap):
    from gongkai.applications.tests.conftest import register

    world = World()
    item = draft_item(world)
    case = register(world, received_on=dt.date(2026, 3, 2))
    base, code = live_server.url, world.agency_a.code
    page = new_page(390, 844)
    public = ["/", f"/agencies/{code}/apply/", "/track/", "/search/?q=预算", "/agencies/", "/reports/"]
    for path in public:
        page.goto(base + path)
        assert overflow(page) <= 0, (path, overflow(page))
    sign_in(page, base, "admin_a")
    staff = ["/staff/", f"/staff/a/{code}/items/", f"/staff/a/{code}/items/{item.pk}/",
             f"/staff/a/{code}/items/{item.pk}/edit/", f"/staff/a/{code}/applications/",
             f"/staff/a/{code}/applications/{case.pk}/", f"/staff/a/{code}/ledger/", f"/staff/a/{code}/audit/",
             "/staff/calendar/?year=2027", f"/staff/a/{code}/people/", f"/staff/a/{code}/timeliness/",
             f"/staff/a/{code}/reports/", f"/staff/a/{code}/reports/overview/", f"/staff/a/{code}/stats/",
             f"/staff/a/{code}/reports/external/", f"/staff/a/{code}/catalogue/", f"/staff/a/{code}/guide/"]
    wide = {}
    for path in staff:
        page.goto(base + path)
        expect(page.locator("h1").first).to_be_visible()
        if overflow(page) > 0:
            wide[path] = (overflow(page), too_wide(page))
    assert wide == {}
    page.goto(f"{base}/staff/a/{code}/audit/")
    snap(page, "daily-05-audit-390")
    page.goto(f"{base}/staff/a/{code}/applications/{case.pk}/")
    snap(page, "daily-06-case-390")


def test_the_agency_column_on_a_phone(live_server, new_page, snap):
    world = World()
    ensure_catalogue(world.agency_a)
    base, code = live_server.url, world.agency_a.code
    page = new_page(390, 844)
    page.goto(f"{base}/agencies/{code}/")
    # Nothing published yet: no 「(0)」 anywhere in the catalogue, and no empty sub-category.
    tree = page.locator(".catalogue-tree")
    expect(tree).to_be_visible()
    assert "(0)" not in tree.inner_text()
    expect(tree.locator("ul")).to_have_count(0)
    # 依申请公开 leads to the online form.
    page.click("#apply-online")
    expect(page).to_have_url(re.compile(rf"/agencies/{code}/apply/$"))
    # The 大字版 toggle is a comfortable touch target.
    box = page.locator("#large-text-toggle").bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44, box
    assert page.locator("link[rel=icon]").count() == 1
    # A stale link lands on a page that still has the site's navigation and a search box.
    page.goto(f"{base}/agencies/{code}/items/999999/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("页面不存在")
    expect(page.get_by_role("navigation", name="主导航")).to_be_visible()
    page.fill("#nf-q", "预算")
    page.click("#nf-q + button")
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    snap(page, "daily-07-after-404-search")


def axe_problems(page) -> list[str]:
    """axe-core's serious and critical findings on the page (axe-playwright-python bundles axe-core)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}×, e.g. {v['nodes'][0]['target']})"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def test_axe_finds_nothing_serious_on_the_pages_of_daily_use(live_server, new_page):
    from gongkai.applications.tests.conftest import register

    world = World()
    case = register(world, received_on=dt.date(2026, 3, 2))
    base, code = live_server.url, world.agency_a.code
    page = new_page(390, 844)
    # The checker itself sees a serious problem when there is one: an unlabelled field.
    page.set_content('<html lang="zh"><title>t</title><main><input type="text"></main></html>')
    assert any(problem.startswith("label:") for problem in axe_problems(page))
    page.goto(f"{base}/agencies/{code}/apply/")
    page.fill("#id_phone", "12345")
    page.click("button:has-text('提交申请')")
    expect(page.locator("#error-summary")).to_be_visible()
    found = {"apply-with-errors": axe_problems(page)}
    sign_in(page, base, "admin_a")
    for name, path in (("case", f"/staff/a/{code}/applications/{case.pk}/"), ("audit", f"/staff/a/{code}/audit/")):
        page.goto(base + path)
        found[name] = axe_problems(page)
    assert {name: problems for name, problems in found.items() if problems} == {}
