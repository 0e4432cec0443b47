"""The real sign-in path: password (with lockout), second factor, idle timeout, forced change."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.accounts.testing import current_code
from gongkai.audit.models import Action, AuditEntry
from gongkai.conftest import PASSWORD
from gongkai.orgs import services

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def sign_in(client, username, password=PASSWORD):
    return client.post(reverse("staff:login"), {"username": username, "password": password})


def enrol(client, user):
    client.get(reverse("accounts:enrol"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("accounts:enrol"), {"token": current_code(device), "next": "/staff/"})
    assert response.status_code == 200, response.content.decode()
    return TOTPDevice.objects.get(pk=device.pk), response


def rows(action, **filters):
    return list(AuditEntry.objects.filter(action=action, **filters).order_by("id"))


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def test_five_wrong_passwords_lock_the_account_for_thirty_minutes(world, client, clock):
    for _ in range(4):
        assert sign_in(client, "drafter_a", "wrong-Pass-1").status_code == 200
    response = sign_in(client, "drafter_a", "wrong-Pass-1")
    assert response.status_code == 429
    assert "连续5次登录失败" in response.content.decode() and "30分钟" in response.content.decode()
    # Locked: even the right password is refused, and the refusal is recorded.
    assert sign_in(client, "drafter_a").status_code == 429
    assert "_auth_user_id" not in client.session
    clock.shift(dt.timedelta(minutes=29))
    assert sign_in(client, "drafter_a").status_code == 429
    clock.shift(dt.timedelta(minutes=1, seconds=1))
    response = sign_in(client, "drafter_a")
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(world.drafter_a.pk)

    failures = rows(Action.LOGIN_FAILED, object_id=str(world.drafter_a.pk))
    assert len(failures) == 5 and {row.outcome for row in failures} == {"failure"}
    lockouts = rows(Action.LOCKOUT, object_id=str(world.drafter_a.pk))
    assert [row.note for row in lockouts] == ["连续5次登录失败，锁定30分钟"] + ["账号锁定中，登录被拒绝"] * 2
    assert {row.outcome for row in lockouts} == {"refused"}
    login = rows(Action.LOGIN, actor=world.drafter_a)[-1]
    assert login.source_ip == "127.0.0.1" and len(login.request_id) == 32 and login.outcome == "success"


def test_failures_of_another_account_do_not_lock_this_one(world, client, clock):
    for _ in range(5):
        sign_in(client, "drafter_b", "wrong-Pass-1")
    assert sign_in(client, "drafter_a").status_code == 302


def test_a_failed_sign_in_for_a_name_nobody_has_is_recorded_with_the_name_tried(world, client):
    sign_in(client, "nobody_here", "wrong-Pass-1")
    row = rows(Action.LOGIN_FAILED)[-1]
    assert (row.object_id, row.actor, row.outcome) == ("", None, "failure")
    assert "nobody_here" in row.actor_label and row.source_ip == "127.0.0.1"


def test_signed_in_without_second_factor_reaches_only_enrolment(world, client):
    assert sign_in(client, "admin_a").status_code == 302
    for name in ("staff:home", "staff:people"):
        args = [world.agency_a.code] if name == "staff:people" else []
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:enrol"))
    assert client.get(reverse("accounts:enrol")).status_code == 200


def test_enrolment_then_sign_in_with_a_code_from_the_authenticator(world, client, clock):
    sign_in(client, "admin_a")
    page = client.get(reverse("accounts:enrol")).content.decode()
    assert "<svg" in page and 'id="totp-secret"' in page
    device, response = enrol(client, world.admin_a)
    assert device.confirmed
    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get(reverse("staff:home")).status_code == 200
    enrolled = rows(Action.TWO_FACTOR, object_id=str(world.admin_a.pk))
    assert "绑定身份验证器" in enrolled[0].note

    client.post(reverse("staff:logout"))
    assert rows(Action.LOGOUT, actor=world.admin_a)[-1].note == "本人退出"
    sign_in(client, "admin_a")
    response = client.get(reverse("staff:home"))
    assert response["Location"].startswith(reverse("accounts:verify"))
    wrong = client.post(reverse("accounts:verify"), {"token": "000000"})
    assert "验证码不正确" in wrong.content.decode()
    assert rows(Action.TWO_FACTOR, outcome="failure")
    clock.shift(dt.timedelta(seconds=31))  # a code is accepted once; the app shows the next one
    ok = client.post(reverse("accounts:verify"), {"token": current_code(device), "next": "/staff/"})
    assert ok.status_code == 302 and ok["Location"] == "/staff/"
    assert client.get(reverse("staff:home")).status_code == 200


def test_a_code_already_used_is_refused(world, client, clock):
    sign_in(client, "admin_a")
    device, _response = enrol(client, world.admin_a)
    client.post(reverse("staff:logout"))
    sign_in(client, "admin_a")
    response = client.post(reverse("accounts:verify"), {"token": current_code(device)})
    assert response.status_code == 200 and "已使用过" in response.content.decode()


def test_a_recovery_code_signs_in_once(world, client, clock):
    sign_in(client, "admin_a")
    _device, response = enrol(client, world.admin_a)
    code = response.context["codes"][0]
    client.post(reverse("staff:logout"))
    sign_in(client, "admin_a")
    assert client.post(reverse("accounts:verify"), {"token": code.upper()})["Location"] == "/staff/"
    assert "剩余恢复码9个" in rows(Action.TWO_FACTOR, actor=world.admin_a)[-1].note
    client.post(reverse("staff:logout"))
    sign_in(client, "admin_a")
    again = client.post(reverse("accounts:verify"), {"token": code})
    assert again.status_code == 200 and "恢复码不正确或已使用过" in again.content.decode()


def test_renewing_recovery_codes_voids_the_old_ones(world, client, clock):
    sign_in(client, "admin_a")
    _device, response = enrol(client, world.admin_a)
    old = response.context["codes"]
    new = client.post(reverse("accounts:recovery_codes")).context["codes"]
    assert not set(old) & set(new)
    assert "重新生成恢复码" in rows(Action.TWO_FACTOR, actor=world.admin_a)[-1].note
    client.post(reverse("staff:logout"))
    sign_in(client, "admin_a")
    assert client.post(reverse("accounts:verify"), {"token": old[0]}).status_code == 200
    clock.shift(dt.timedelta(seconds=2))  # django-otp makes one wait a moment after a wrong code
    assert client.post(reverse("accounts:verify"), {"token": new[0]}).status_code == 302


def test_the_system_admin_cannot_skip_the_second_factor(world, client):
    sign_in(client, "sysadmin")
    for name in ("staff:home", "staff:agency_list", "staff:agency_new", "staff:calendar"):
        assert client.get(reverse(name))["Location"].startswith(reverse("accounts:enrol"))


def test_an_idle_session_is_signed_out_after_thirty_minutes(world, login, clock):
    client = login(world.drafter_a)
    assert client.get(reverse("staff:home")).status_code == 200
    clock.shift(dt.timedelta(minutes=29))
    assert client.get(reverse("staff:home")).status_code == 200  # activity restarts the period
    clock.shift(dt.timedelta(minutes=29))
    assert client.get(reverse("staff:home")).status_code == 200
    clock.shift(dt.timedelta(minutes=30, seconds=1))
    response = client.get(reverse("staff:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("staff:login"))
    assert "_auth_user_id" not in client.session
    assert "闲置超过30分钟" in rows(Action.LOGOUT, actor=world.drafter_a)[-1].note


def test_a_password_reset_by_an_administrator_must_be_changed_first(world, login):
    services.user_set_password(actor=world.admin_a, user=world.drafter_a, password="Reset-by-Admin-7", agency=world.agency_a)
    client = login(world.drafter_a)
    response = client.get(reverse("staff:home"))
    assert response.status_code == 302 and response["Location"] == reverse("staff:password")
    page = client.get(reverse("staff:password"), follow=True).content.decode()
    assert "由管理员设置" in page
    weak = client.post(reverse("staff:password"), {
        "old_password": "Reset-by-Admin-7", "new_password": "onlylowercase", "new_password_again": "onlylowercase"})
    assert "至少3类" in weak.content.decode()
    client.post(reverse("staff:password"), {
        "old_password": "Reset-by-Admin-7", "new_password": "My-Own-Secret-9", "new_password_again": "My-Own-Secret-9"})
    assert client.get(reverse("staff:home")).status_code == 200


def test_a_password_one_sets_oneself_need_not_be_changed_again(world, login):
    services.user_set_password(actor=world.drafter_a, user=world.drafter_a, password="My-Own-Secret-9")
    assert login(world.drafter_a).get(reverse("staff:home")).status_code == 200


def test_password_expiry_is_a_setting(world, login, settings):
    settings.GONGKAI_PASSWORD_MAX_AGE_DAYS = 90
    with time_machine.travel(START, tick=False) as clock:
        services.user_set_password(actor=world.drafter_a, user=world.drafter_a, password="My-Own-Secret-9")
        clock.shift(dt.timedelta(days=89, hours=23))
        assert login(world.drafter_a).get(reverse("staff:home")).status_code == 200
        clock.shift(dt.timedelta(hours=1))
        response = login(world.drafter_a).get(reverse("staff:home"))
        assert response["Location"] == reverse("staff:password")
