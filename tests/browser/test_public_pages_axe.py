"""axe-core (bundled by axe-playwright-python, offline) on every kind of public page, in a zh-CN
browser at phone and desktop width: no WCAG 2.1 A/AA violation of any impact, and no sideways
scroll at 390 px. Staff pages of daily use are checked in test_daily_use_zh.py; the two new
staff pages of this change (import preview, site identity) are checked here too."""

import datetime as dt

import pytest

from gongkai.applications import intake
from gongkai.applications.tests.conftest import applicant
from gongkai.conftest import World
from gongkai.disclosure.catalogue import ensure_catalogue
from gongkai.portal import site_identity
from gongkai.portal.tests.test_disclosure_pages import publish
from tests.browser.second_factor import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}, "resultTypes": ["violations"]})
    return [f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])}×, e.g. {v['nodes'][0]['target']}"
            for v in results.response["violations"]]


def test_the_checker_reports_a_low_contrast_text(new_page):
    page = new_page(390, 844)
    page.set_content('<html lang="zh"><title>t</title><main><p style="color:#ccc;background:#fff">浅灰色的字</p></main></html>')
    assert any(problem.startswith("color-contrast") for problem in axe_violations(page))


def test_every_public_page_kind_passes_axe_at_phone_and_desktop_width(live_server, new_page, monkeypatch, tmp_path):
    world = World()
    world.first_a = world.person("first_a", world.agency_a, "first_reviewer")
    world.second_a = world.person("second_a", world.agency_a, "second_reviewer")
    ensure_catalogue(world.agency_a)
    site_identity.site_identity_update(actor=world.sysadmin, changes={
        "site_code": "9801210001", "icp_number": "冀ICP备05070218号-1", "police_number": "冀公网安备13010202000123号",
        "sponsor": "测试县人民政府办公室", "organiser": "测试县大数据中心"})
    item = publish(world, title="关于做好预算公开工作的通知", written_on=dt.date(2026, 3, 2))
    application, secret = intake.submit_online(agency=world.agency_a, data=applicant(), submission_key="axe-1")
    code = world.agency_a.code
    pages = {
        "home": "/", "agencies": "/agencies/", "agency": f"/agencies/{code}/", "guide": f"/agencies/{code}/guide/",
        "catalogue": f"/agencies/{code}/catalogue/{item.catalogue_node.code}/", "item": f"/agencies/{code}/items/{item.pk}/",
        "search": "/search/?q=预算", "search-empty": "/search/?q=没有这样的内容", "reports": "/reports/",
        "apply-choose": "/apply/", "apply-form": f"/agencies/{code}/apply/", "track": "/track/", "not-found": "/no-such-page/",
        "hudong": "/hudong/", "agency-hudong": f"/agencies/{code}/hudong/",
    }
    base = live_server.url
    found: dict[str, list[str]] = {}
    for width, height in ((390, 844), (1280, 900)):
        page = new_page(width, height)
        for name, path in pages.items():
            page.goto(base + path)
            found[f"{name}@{width}"] = axe_violations(page)
            if width == 390 and page.evaluate("document.documentElement.scrollWidth") > 390:
                found[f"{name}@{width}"].append("sideways scroll")
        # The applicant's own pages, after proving the secret.
        page.goto(f"{base}/track/")
        page.fill("#id_code", application.tracking_code)
        page.fill("#id_secret", secret)
        page.click("button[type=submit] >> nth=-1")
        page.wait_for_url(f"**/track/{application.tracking_code}/")
        found[f"status@{width}"] = axe_violations(page)
        page.goto(f"{base}/track/{application.tracking_code}/submitted/")
        found[f"submitted@{width}"] = axe_violations(page)
    assert {name: problems for name, problems in found.items() if problems} == {}


def test_the_new_staff_pages_pass_axe(live_server, new_page, tmp_path, monkeypatch):
    from gongkai.disclosure import item_upload

    monkeypatch.setattr(item_upload, "upload_root", lambda: tmp_path / "imports")
    world = World()
    ensure_catalogue(world.agency_a)
    sheet = tmp_path / "台账.csv"
    sheet.write_bytes(f"机构代码,标题,成文日期\r\n{world.agency_a.code},关于某事项的通知,2025/2/30\r\n".encode("gbk"))
    base, code = live_server.url, world.agency_a.code
    page = new_page(390, 844)
    sign_in(page, base, "admin_a")
    found = {}
    page.goto(f"{base}/staff/a/{code}/items/import/")
    found["import-upload"] = axe_violations(page)
    page.set_input_files("#id_file", str(sheet))
    page.click("button:has-text('上传并预览')")
    page.wait_for_selector("#error-summary")
    found["import-preview-with-problems"] = axe_violations(page)
    admin = new_page(390, 844)
    sign_in(admin, base, "sysadmin")
    admin.goto(f"{base}/staff/site/")
    admin.fill("#id_site_code", "123")
    admin.click("button:has-text('保存')")
    admin.wait_for_selector("#error-summary")
    found["site-identity-with-error"] = axe_violations(admin)
    assert {name: problems for name, problems in found.items() if problems} == {}
