"""A staff member who signs in with the authenticator app registers a security key (Chromium's
virtual authenticator, through the DevTools protocol, stands in for a USB key or a fingerprint
reader), names it, and signs in the next time with the key instead of a code."""

import re

import pytest
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import expect

from gongkai.audit.models import Action, AuditEntry
from gongkai.conftest import World
from tests.browser.second_factor import pass_second_factor
from tests.browser.test_second_factor_sign_in import password_step, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def add_virtual_authenticator(page) -> tuple:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True,
    }})
    return cdp, added["authenticatorId"]


def test_register_a_security_key_then_sign_in_with_it(live_server, page, snap):
    World()
    # WebAuthn needs a host name (never an address) on a secure origin: localhost is one.
    base = live_server.url.replace("127.0.0.1", "localhost")
    cdp, authenticator = add_virtual_authenticator(page)
    # A slow network: the library's message catalogue arrives late; the buttons must still work
    # on the first click (they call gettext() at once).
    page.route("**/jsi18n/", lambda route: (page.wait_for_timeout(1500), route.continue_()))
    try:
        password_step(page, base, "drafter_a")
        pass_second_factor(page, "drafter_a")
        page.goto(f"{base}/staff/account/2fa/recovery-codes/")
        page.get_by_role("link", name="管理安全密钥").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("安全密钥")
        expect(page.get_by_text("您还没有登记安全密钥。")).to_be_visible()
        page.get_by_role("button", name="登记新的安全密钥").click()

        expect(page.get_by_role("status").filter(has_text="已登记")).to_be_visible()
        assert len(cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]) == 1
        name = page.get_by_label("密钥名称")
        expect(name).to_have_value("安全密钥1")
        expect(name).to_be_focused()
        name.fill("办公室指纹")
        page.get_by_role("button", name="保存名称").click()
        expect(page.get_by_role("status").filter(has_text="已保存安全密钥的名称")).to_be_visible()
        expect(page.get_by_label("密钥名称")).to_have_value("办公室指纹")
        snap(page, "security-key-01-registered")
        sign_out(page)

        password_step(page, base, "drafter_a")
        expect(page).to_have_url(re.compile(r"/staff/account/2fa/verify/"))
        snap(page, "security-key-02-verify")
        page.get_by_role("button", name="使用安全密钥验证").click()
        expect(page).to_have_url(f"{base}/staff/")
        expect(page.locator(".toolbar")).to_contain_text("测试drafter_a")

        key = WebAuthnCredential.objects.get(user__username="drafter_a")
        assert key.name == "办公室指纹" and key.last_used_at is not None
        notes = list(AuditEntry.objects.filter(action=Action.TWO_FACTOR, actor__username="drafter_a")
                     .order_by("id").values_list("note", "outcome"))
        assert notes[-3:] == [("登记安全密钥“安全密钥1”", "success"), ("安全密钥改名为“办公室指纹”", "success"),
                              ("安全密钥“办公室指纹”验证通过", "success")]
    finally:
        # A delayed catalogue request may still be in flight when the test ends; left alone, its
        # handler fails once the page is closed and the error surfaces in the next test's setup.
        page.unroute_all(behavior="ignoreErrors")
