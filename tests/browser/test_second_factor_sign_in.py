"""A staff member binds an authenticator app on first sign-in, keeps the recovery codes, and signs
in again with a code from the app, and once with a recovery code."""

import re

import pytest
from playwright.sync_api import expect

from gongkai.audit.models import Action, AuditEntry
from gongkai.conftest import PASSWORD, World
from tests.browser.second_factor import pass_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def password_step(page, base, username):
    page.goto(f"{base}/staff/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def sign_out(page):
    page.get_by_role("button", name="退出登录").click()


def test_enrol_an_authenticator_then_sign_in_with_a_code(live_server, page, snap):
    World()
    base = live_server.url

    password_step(page, base, "drafter_a")
    expect(page).to_have_url(re.compile(r"/staff/account/2fa/enrol/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("绑定身份验证器")
    expect(page.locator("figure svg")).to_be_visible()
    snap(page, "2fa-01-enrol")
    # Nothing else of the workspace opens before the second factor.
    page.goto(f"{base}/staff/a/TESTFIN01/")
    expect(page).to_have_url(re.compile(r"/staff/account/2fa/enrol/"))

    page.get_by_label("应用显示的6位验证码").fill("123")
    page.get_by_role("button", name="绑定并登录").click()
    expect(page.get_by_role("alert")).to_contain_text("6位数字")
    snap(page, "2fa-02-enrol-error")

    codes = pass_second_factor(page, "drafter_a")
    assert len(codes) == 10
    expect(page).to_have_url(re.compile(r"/staff/a/TESTFIN01/$"))
    sign_out(page)

    password_step(page, base, "drafter_a")
    expect(page).to_have_url(re.compile(r"/staff/account/2fa/verify/"))
    page.get_by_label("验证码或恢复码").fill("000000")
    page.get_by_role("button", name="验证").click()
    expect(page.get_by_role("alert")).to_contain_text("验证码不正确")
    snap(page, "2fa-03-verify-error")
    page.wait_for_timeout(1100)  # django-otp makes one wait a second after a wrong code
    pass_second_factor(page, "drafter_a")
    expect(page).to_have_url(f"{base}/staff/")
    expect(page.locator(".toolbar")).to_contain_text("测试drafter_a")
    snap(page, "2fa-04-signed-in")
    sign_out(page)

    password_step(page, base, "drafter_a")
    page.get_by_label("验证码或恢复码").fill(codes[0])
    page.get_by_role("button", name="验证").click()
    expect(page).to_have_url(f"{base}/staff/")

    notes = list(AuditEntry.objects.filter(action=Action.TWO_FACTOR, actor__username="drafter_a")
                 .order_by("id").values_list("note", "outcome"))
    assert notes[0] == ("绑定身份验证器，生成恢复码", "success")
    assert ("身份验证器验证失败", "failure") in notes and notes[-1] == ("恢复码验证通过，剩余恢复码9个", "success")
