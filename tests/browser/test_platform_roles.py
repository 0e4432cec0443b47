"""The 安全管理员 makes a staff member the 审计管理员 on the 平台角色 page, and is refused a
second administrator role for the 系统管理员 (三权分立), in a real browser."""

import pytest
from playwright.sync_api import expect

from gongkai.conftest import PASSWORD
from gongkai.orgs import services
from gongkai.orgs.models import Membership
from tests.browser.second_factor import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people():
    area = services.area_create(actor=None, name="样例县", code="990199", level="county")
    agency = services.agency_create(actor=None, name="样例县人民政府", code="11990199MB0000001A", kind="government",
                                    area=area)
    for username, agency_of, role in (("secadmin", None, "security_admin"), ("sysadmin", None, "system_admin"),
                                      ("wangli", agency, "drafter")):
        services.user_create(actor=None, agency=agency_of, username=username, full_name=username, password=PASSWORD,
                             roles=[role])


def test_the_security_admin_grants_the_audit_admin_role(live_server, page, snap, people):
    sign_in(page, live_server.url, "secadmin")
    page.get_by_role("navigation", name="工作台导航").get_by_role("link", name="平台角色").click()
    expect(page.get_by_role("heading", name="平台角色（三权分立）")).to_be_visible()
    page.get_by_label("用户名").fill("wangli")
    page.get_by_label("平台角色").select_option(label="审计管理员")
    page.get_by_role("button", name="授予").click()
    expect(page.get_by_text("已授予 wangli 审计管理员角色。")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="wangli")).to_contain_text("审计管理员")
    snap(page, "platform-roles-01-granted")
    assert Membership.objects.filter(user__username="wangli", agency=None, role="audit_admin").exists()

    page.get_by_label("用户名").fill("sysadmin")
    page.get_by_label("平台角色").select_option(label="安全管理员")
    page.get_by_role("button", name="授予").click()
    expect(page.get_by_text("三权分立：sysadmin 已是系统管理员，不能再担任安全管理员。").first).to_be_visible()
    snap(page, "platform-roles-02-refused")
