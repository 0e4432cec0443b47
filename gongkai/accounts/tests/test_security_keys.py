"""Security keys (WebAuthn) beside the authenticator: registering one in a session that passed the
second factor, using it instead of a code, naming and removing it, the 安全管理员's reset; each
change an audit row. The key is accounts.testing.SoftwareKey; django-otp-webauthn verifies it."""

import json

import pytest
from django.urls import reverse
from django_otp_webauthn.models import WebAuthnCredential

from gongkai.accounts import security_keys, twofactor
from gongkai.accounts.testing import SoftwareKey
from gongkai.audit.models import Action, AuditEntry
from gongkai.conftest import PASSWORD
from gongkai.errors import ServiceError

# WebAuthn binds a key to a host name; the test client speaks as the development server on localhost.
HOST = {"HTTP_HOST": "localhost"}


def post_json(client, name, body=None):
    return client.post(reverse(f"otp_webauthn:{name}"), json.dumps(body or {}), content_type="application/json", **HOST)


def register(client, key):
    options = post_json(client, "credential-registration-begin")
    assert options.status_code == 200, options.content
    return post_json(client, "credential-registration-complete", key.register(options.json()))


def password_only(client, user):
    client.post(reverse("staff:login"), {"username": user.username, "password": PASSWORD}, **HOST)
    assert client.session["_auth_user_id"] == str(user.pk)
    return client


def use_key(client, key, **kwargs):
    options = post_json(client, "credential-authentication-begin")
    assert options.status_code == 200, options.content
    return post_json(client, "credential-authentication-complete", key.sign_in(options.json(), **kwargs))


def two_factor_rows(user):
    return list(AuditEntry.objects.filter(action=Action.TWO_FACTOR, object_id=str(user.pk)).order_by("id"))


@pytest.fixture
def registered(world, login):
    """drafter_a with the authenticator and one key, registered through the endpoints."""
    key = SoftwareKey()
    response = register(login(world.drafter_a), key)
    assert response.status_code == 200, response.content
    return key, WebAuthnCredential.objects.get(pk=response.json()["id"])


def test_registering_a_key_is_audited_and_names_it(world, registered):
    _key, credential = registered
    assert credential.user == world.drafter_a and credential.name == "安全密钥1" and credential.confirmed
    row = two_factor_rows(world.drafter_a)[-1]
    assert (row.note, row.outcome, row.after) == ("登记安全密钥“安全密钥1”", "success", {"security_key": "安全密钥1"})
    assert row.actor == world.drafter_a and row.request_id


def test_a_second_key_gets_the_next_name(world, registered, client):
    assert register(client, SoftwareKey()).status_code == 200
    assert list(security_keys.keys_of(world.drafter_a).values_list("name", flat=True)) == ["安全密钥1", "安全密钥2"]


def test_a_key_signs_in_instead_of_the_code(world, registered, client):
    key, credential = registered
    client.logout()
    password_only(client, world.drafter_a)
    assert client.get("/staff/", **HOST).status_code == 302  # the gate: second factor first
    response = use_key(client, key)
    assert response.status_code == 200, response.content
    assert response.json()["redirect_url"] == "/staff/"
    assert client.get("/staff/", **HOST).status_code == 200
    credential.refresh_from_db()
    assert credential.last_used_at is not None and credential.sign_count == key.sign_count
    row = two_factor_rows(world.drafter_a)[-1]
    assert (row.note, row.outcome) == ("安全密钥“安全密钥1”验证通过", "success")


def test_a_forged_answer_is_refused_and_recorded(world, registered, client):
    key, _credential = registered
    client.logout()
    password_only(client, world.drafter_a)
    assert use_key(client, key, tamper=True).status_code == 422
    assert client.get("/staff/", **HOST).status_code == 302
    row = two_factor_rows(world.drafter_a)[-1]
    assert (row.note, row.outcome) == ("安全密钥验证失败", "failure")


def test_another_persons_key_does_not_sign_in(world, registered, client):
    key, _credential = registered
    client.logout()
    password_only(client, world.drafter_b)
    assert use_key(client, key).status_code == 403
    assert client.get("/staff/", **HOST).status_code == 302
    assert two_factor_rows(world.drafter_b)[-1].outcome == "failure"


def test_a_key_alone_is_not_a_sign_in(world, registered, client):
    key, _credential = registered
    client.logout()
    assert post_json(client, "credential-authentication-begin").status_code == 403
    assert "_auth_user_id" not in client.session


def test_registering_needs_a_session_that_passed_the_second_factor(world, client):
    twofactor.enrolment_device(world.drafter_a)  # not confirmed: no authenticator yet
    password_only(client, world.drafter_a)
    response = post_json(client, "credential-registration-begin")
    assert response.status_code == 302 and "/2fa/enrol/" in response["Location"]
    assert not WebAuthnCredential.objects.exists()


def test_renaming_a_key_is_audited_with_before_and_after(world, registered):
    _key, credential = registered
    security_keys.security_key_rename(actor=world.drafter_a, key_id=credential.pk, name="  办公室 U盾 ")
    credential.refresh_from_db()
    assert credential.name == "办公室 U盾"
    row = two_factor_rows(world.drafter_a)[-1]
    assert (row.before, row.after) == ({"security_key": "安全密钥1"}, {"security_key": "办公室 U盾"})


@pytest.mark.parametrize(("name", "code"), [("   ", "SECURITY_KEY_NAME_REQUIRED"), ("钥" * 65, "SECURITY_KEY_NAME_TOO_LONG")])
def test_a_blank_or_long_name_is_refused(world, registered, name, code):
    _key, credential = registered
    with pytest.raises(ServiceError) as refused:
        security_keys.security_key_rename(actor=world.drafter_a, key_id=credential.pk, name=name)
    assert refused.value.code == code
    credential.refresh_from_db()
    assert credential.name == "安全密钥1"


def test_nobody_renames_or_removes_another_persons_key(world, registered):
    _key, credential = registered
    rows = len(two_factor_rows(world.drafter_a))
    for change in (lambda: security_keys.security_key_rename(actor=world.drafter_b, key_id=credential.pk, name="x"),
                   lambda: security_keys.security_key_remove(actor=world.drafter_b, key_id=credential.pk)):
        with pytest.raises(ServiceError) as refused:
            change()
        assert refused.value.code == "SECURITY_KEY_NOT_FOUND"
    assert WebAuthnCredential.objects.filter(pk=credential.pk, name="安全密钥1").exists()
    assert len(two_factor_rows(world.drafter_a)) == rows


def test_removing_a_key_through_the_page_keeps_the_authenticator(world, registered, client):
    key, credential = registered
    response = client.post(reverse("accounts:security_key_remove", args=[credential.pk]), **HOST)
    assert response.status_code == 302
    assert not WebAuthnCredential.objects.filter(pk=credential.pk).exists()
    assert twofactor.is_enrolled(world.drafter_a)
    row = two_factor_rows(world.drafter_a)[-1]
    assert (row.note, row.before, row.after) == ("移除安全密钥“安全密钥1”", {"security_key": "安全密钥1"}, None)
    client.logout()
    password_only(client, world.drafter_a)
    assert use_key(client, key).status_code == 404


def test_the_keys_page_lists_names_and_the_verify_page_offers_the_key(world, registered, client):
    page = client.get(reverse("accounts:security_keys"), **HOST).content.decode()
    assert 'value="安全密钥1"' in page and 'id="passkey-register-button"' in page
    client.logout()
    password_only(client, world.drafter_a)
    page = client.get(reverse("accounts:verify"), **HOST).content.decode()
    assert 'id="passkey-verification-button"' in page and 'id="otp_webauthn_config"' in page


def test_the_verify_page_offers_no_key_to_someone_without_one(world, client, login):
    login(world.drafter_b)
    client.logout()
    password_only(client, world.drafter_b)
    assert "passkey-verification-button" not in client.get(reverse("accounts:verify"), **HOST).content.decode()


def test_the_security_admins_reset_removes_the_keys_too(world, registered, login):
    url = reverse("accounts:reset_second_factor", args=[world.agency_a.code, world.drafter_a.pk])
    assert login(world.secadmin).post(url).status_code == 302
    assert not WebAuthnCredential.objects.filter(user=world.drafter_a).exists()
    assert not twofactor.is_enrolled(world.drafter_a)


def test_the_browser_messages_of_the_library_are_in_chinese(client):
    catalog = client.get(reverse("otp_webauthn:js-i18n-catalog"), HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    # The catalogue is JavaScript with the strings escaped as JSON does.
    assert json.dumps("使用安全密钥验证")[1:-1] in catalog and json.dumps("登记失败")[1:-1] in catalog


@pytest.mark.parametrize(("public_url", "trusted", "environ", "expected"), [
    ("", [], {}, ("localhost", ["http://localhost"])),
    ("https://gk.example.gov.cn/", ["https://gk.example.gov.cn", "https://www.gk.example.gov.cn"], {},
     ("gk.example.gov.cn", ["https://gk.example.gov.cn", "https://www.gk.example.gov.cn"])),
    ("", ["https://gongkai.example.gov.cn"], {}, ("gongkai.example.gov.cn", ["https://gongkai.example.gov.cn"])),
    # An intranet address without HTTPS: no key can work there, and the start is not stopped.
    ("http://gk.intranet", ["http://gk.intranet"], {}, ("gk.intranet", ["https://gk.intranet"])),
    ("https://gk.example.gov.cn", [],
     {"GONGKAI_WEBAUTHN_RP_ID": "example.gov.cn", "GONGKAI_WEBAUTHN_ORIGINS": "https://a.example.gov.cn/, https://b.example.gov.cn"},
     ("example.gov.cn", ["https://a.example.gov.cn", "https://b.example.gov.cn"])),
])
def test_the_relying_party_follows_the_host_settings_unless_set(public_url, trusted, environ, expected):
    from gongkai.settings import _webauthn_relying_party

    assert _webauthn_relying_party(public_url, trusted, environ) == expected
