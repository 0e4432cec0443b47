"""Staff sign-in in the browser journeys, and its second step, done as a person with an
authenticator app would: the first time, read the secret off the enrolment page and type the code
the app computes from it; afterwards, type the code the app shows for the enrolled secret."""

import base64
import re
import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from gongkai.conftest import PASSWORD  # every test account's password

STEP = 30


def sign_in(page, base: str, username: str, password: str = PASSWORD) -> None:
    """Sign in on the staff login page as a person would, second factor included, and wait for
    the page the sign-in leads to."""
    page.goto(f"{base}/staff/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    pass_second_factor(page, username)
    expect(page.locator("h1").first).to_be_visible()


def _code(key: bytes, *, after_step: int = -1) -> str:
    """The authenticator's code now, or the next period's if this one's was used already."""
    totp = TOTP(key, step=STEP)
    totp.time = time.time()
    if totp.t() <= after_step:
        totp.time += (after_step - totp.t() + 1) * STEP
    return f"{totp.token():06d}"


def pass_second_factor(page, username: str) -> list[str]:
    """Completes enrolment or verification on the page the sign-in led to; returns the recovery
    codes when it enrolled (empty otherwise)."""
    expect(page).to_have_url(re.compile(r"/staff/account/2fa/(enrol|verify)/"))
    if "/enrol/" in page.url:
        secret = page.locator("#totp-secret").inner_text().replace(" ", "")
        page.get_by_label("应用显示的6位验证码").fill(_code(base64.b32decode(secret)))
        page.get_by_role("button", name="绑定并登录").click()
        codes = page.locator("#recovery-codes li").all_inner_texts()
        page.get_by_role("link", name="我已保存，继续").click()
        return codes
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    page.get_by_label("验证码或恢复码").fill(_code(device.bin_key, after_step=device.last_t))
    page.get_by_role("button", name="验证").click()
    return []
