"""A system administrator sets up a new agency and its first staff member in a real browser,
and the new person sees that agency and nothing else."""

import re

import pytest
from playwright.sync_api import expect

from gongkai.orgs import services
from gongkai.orgs.models import Agency
from tests.browser.second_factor import pass_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN_PASSWORD = "Admin-Pass-2031"
NEW_USER_PASSWORD = "Xinxi-Yuan-2031"
NEW_AGENCY = {"name": "样例县生态环境局", "code": "11990199MB0000123X", "kind": "部门"}


@pytest.fixture
def setup_data():
    area = services.area_create(actor=None, name="样例县", code="990199", level="county")
    agency_b = services.agency_create(
        actor=None, name="样例县人民政府", code="11990199MB0000001A", kind="government", area=area,
    )
    admin = services.user_create(
        actor=None, agency=None, username="sysadmin", full_name="平台管理员", password=ADMIN_PASSWORD,
        roles=["system_admin"],
    )
    return {"area": area, "agency_b": agency_b, "admin": admin}


def sign_in(page, base_url, username, password):
    page.goto(f"{base_url}/staff/login/")
    page.get_by_label(label("用户名")).fill(username)
    page.get_by_label(label("密码")).fill(password)
    page.get_by_role("button", name="登录").click()
    pass_second_factor(page, username)
    expect(page).to_have_url(f"{base_url}/staff/")


def sign_out(page, base_url):
    page.get_by_role("button", name="退出登录").click()
    expect(page).to_have_url(f"{base_url}/")


def label(text):
    """Matches a form label exactly, with or without Django's label suffix (":")."""
    return re.compile(rf"^\s*{re.escape(text)}\s*[:：]?\s*$")


def field(page, text):
    """The form row (label, input, help text, errors) that holds the input labelled ``text``."""
    return page.locator("div.field").filter(has=page.get_by_label(label(text)))


def test_admin_creates_agency_and_user_who_sees_only_that_agency(live_server, page, snap, setup_data):
    base = live_server.url
    area, agency_b = setup_data["area"], setup_data["agency_b"]

    sign_in(page, base, "sysadmin", ADMIN_PASSWORD)
    snap(page, "journey-01-admin-dashboard")

    # 机构列表 → 新建机构
    page.get_by_role("navigation", name="工作台导航").get_by_role("link", name="机构列表").click()
    expect(page.get_by_role("heading", name="机构列表")).to_be_visible()
    expect(page.get_by_role("link", name=agency_b.name)).to_be_visible()
    snap(page, "journey-02-agency-list-admin")
    page.get_by_role("link", name="新建机构").click()
    expect(page.get_by_role("heading", name="新建机构")).to_be_visible()

    page.get_by_label(label("机构名称")).fill(NEW_AGENCY["name"])
    page.get_by_label(label("机构代码")).fill(NEW_AGENCY["code"])
    page.get_by_label(label("机构类型")).select_option(label=NEW_AGENCY["kind"])
    page.get_by_label(label("行政区划")).select_option(label=area.name)
    page.get_by_label(label("上级机关")).select_option(label=agency_b.name)
    snap(page, "journey-03-agency-form-filled")
    page.get_by_role("button", name="新建").click()

    expect(page).to_have_url(f"{base}/staff/a/{NEW_AGENCY['code']}/")
    expect(page.get_by_role("status")).to_contain_text(f"已新建机构“{NEW_AGENCY['name']}”")
    expect(page.get_by_role("heading", name=NEW_AGENCY["name"], level=1)).to_be_visible()
    snap(page, "journey-04-agency-created")
    created = Agency.objects.get(code=NEW_AGENCY["code"])
    assert (created.name, created.kind, created.area_id, created.parent_id) == (
        NEW_AGENCY["name"], "department", area.pk, agency_b.pk,
    )

    # 人员与角色 → 新增人员, role 信息员
    page.get_by_role("link", name="人员与角色").click()
    expect(page.get_by_role("heading", name=f"人员与角色：{NEW_AGENCY['name']}")).to_be_visible()
    page.get_by_role("link", name="新增人员").click()
    page.get_by_label(label("用户名")).fill("sthj_xxy")
    page.get_by_label(label("姓名")).fill("林小雨")
    page.get_by_label(label("初始密码")).fill(NEW_USER_PASSWORD)
    page.get_by_label(label("信息员")).check()
    snap(page, "journey-05-person-form-filled")
    page.get_by_role("button", name="建立账号").click()
    expect(page.get_by_role("status")).to_contain_text("已建立账号“sthj_xxy”")
    expect(page.locator("main")).to_contain_text("信息员")
    snap(page, "journey-06-person-created")

    sign_out(page, base)

    # The new person enrols an authenticator, replaces the password the administrator chose, and
    # then sees exactly their own agency.
    page.goto(f"{base}/staff/login/")
    page.get_by_label(label("用户名")).fill("sthj_xxy")
    page.get_by_label(label("密码")).fill(NEW_USER_PASSWORD)
    page.get_by_role("button", name="登录").click()
    pass_second_factor(page, "sthj_xxy")
    expect(page).to_have_url(f"{base}/staff/password/")
    expect(page.get_by_role("status")).to_contain_text("由管理员设置")
    page.get_by_label(label("当前密码")).fill(NEW_USER_PASSWORD)
    page.get_by_label(label("新密码")).fill("Lin-Xiaoyu-2032")
    page.get_by_label(label("再次输入新密码")).fill("Lin-Xiaoyu-2032")
    page.get_by_role("button", name="保存").click()
    expect(page).to_have_url(f"{base}/staff/")
    expect(page.locator(".toolbar")).to_contain_text("林小雨")
    snap(page, "journey-07-new-user-dashboard")
    page.get_by_role("navigation", name="工作台导航").get_by_role("link", name="机构列表").click()
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(NEW_AGENCY["name"])
    expect(page.get_by_role("link", name="新建机构")).to_have_count(0)
    snap(page, "journey-08-agency-list-new-user")

    response = page.goto(f"{base}/staff/a/{agency_b.code}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_contain_text("页面不存在")
    expect(page.locator("main")).not_to_contain_text(agency_b.name)
    snap(page, "journey-09-other-agency-404")


def test_duplicate_agency_code_is_refused_next_to_the_field(live_server, page, snap, setup_data):
    base = live_server.url
    area, agency_b = setup_data["area"], setup_data["agency_b"]
    before = Agency.objects.count()

    sign_in(page, base, "sysadmin", ADMIN_PASSWORD)
    page.goto(f"{base}/staff/agencies/new/")
    page.get_by_label(label("机构名称")).fill("样例县重复代码局")
    # Lower case and a hyphen normalise to agency B's code, so this is still a duplicate.
    duplicate = agency_b.code[:8] + "-" + agency_b.code[8:].lower()
    page.get_by_label(label("机构代码")).fill(duplicate)
    page.get_by_label(label("机构类型")).select_option(label="部门")
    page.get_by_label(label("行政区划")).select_option(label=area.name)
    page.get_by_role("button", name="新建").click()

    expect(page).to_have_url(f"{base}/staff/agencies/new/")
    code_errors = field(page, "机构代码").locator(".errorlist")
    expect(code_errors).to_contain_text("已被其他机构使用")
    expect(code_errors).to_contain_text(agency_b.code)
    expect(field(page, "机构名称").locator(".errorlist")).to_have_count(0)
    # What was typed is kept, so the person only fixes the code.
    expect(page.get_by_label(label("机构名称"))).to_have_value("样例县重复代码局")
    expect(page.locator(".message-success")).to_have_count(0)
    snap(page, "duplicate-code-error")

    assert Agency.objects.count() == before
    assert not Agency.objects.filter(name="样例县重复代码局").exists()
    page.goto(f"{base}/staff/agencies/")
    expect(page.locator("main table tbody tr")).to_have_count(before)
    expect(page.get_by_role("link", name=re.compile("重复代码"))).to_have_count(0)
