"""Security keys and passkeys (WebAuthn) as a second factor beside the authenticator app.

django-otp-webauthn keeps the keys (a django-otp device class, so ``StaffGateMiddleware`` and
``django_otp.login`` treat a key like the authenticator) and serves the browser ceremonies; its
documented extension point, the helper class (``OTP_WEBAUTHN_HELPER_CLASS``), is where
registration and each use are audited. Naming and removing a key are the services below.

A key is added to an account that already has the authenticator app and its recovery codes, never
instead of them: intranet addresses without HTTPS cannot use keys at all (browsers offer WebAuthn
only to secure pages), and a lost key is recovered the way a lost phone is.
"""

from django.db import transaction
from django_otp_webauthn import exceptions
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential

from gongkai.accounts import events, twofactor
from gongkai.audit.models import Outcome
from gongkai.errors import ServiceError

NAME_MAX_LENGTH = 64  # django-otp's Device.name
DEFAULT_NAME = "安全密钥"


class NotEnrolled(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_detail = "请先绑定身份验证器并完成本次登录验证，再登记安全密钥。"
    default_code = "totp_not_enrolled"


def keys_of(user):
    """The person's registered keys, oldest first."""
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at", "pk")


def has_keys(user) -> bool:
    return keys_of(user).exists()


def _default_name(user) -> str:
    taken = set(WebAuthnCredential.objects.filter(user=user).values_list("name", flat=True))
    number = len(taken) + 1
    while f"{DEFAULT_NAME}{number}" in taken:
        number += 1
    return f"{DEFAULT_NAME}{number}"


def _key_of(actor, key_id) -> WebAuthnCredential:
    key = WebAuthnCredential.objects.filter(user=actor, pk=key_id).first()
    if key is None:
        # Another person's key is answered like a missing one: nobody names or removes keys of others.
        raise ServiceError("SECURITY_KEY_NOT_FOUND", "找不到这个安全密钥，它可能已被移除。")
    return key


def security_key_rename(*, actor, key_id, name: str) -> WebAuthnCredential:
    """Give one of the person's own keys a name they will recognise (e.g. 办公室U盾)."""
    name = " ".join((name or "").split())
    if not name:
        raise ServiceError("SECURITY_KEY_NAME_REQUIRED", "请填写安全密钥的名称。", field="name")
    if len(name) > NAME_MAX_LENGTH:
        raise ServiceError("SECURITY_KEY_NAME_TOO_LONG", f"名称不能超过{NAME_MAX_LENGTH}个字。", field="name")
    with transaction.atomic():
        key = _key_of(actor, key_id)
        if key.name == name:
            return key
        before = {"security_key": key.name}
        key.name = name
        key.save(update_fields=["name"])
        events.second_factor_changed(actor=actor, user=actor, note=f"安全密钥改名为“{name}”",
                                     before=before, after={"security_key": name})
    return key


def security_key_remove(*, actor, key_id) -> None:
    """Remove one of the person's own keys; the authenticator app and recovery codes stay."""
    with transaction.atomic():
        key = _key_of(actor, key_id)
        name = key.name
        key.delete()
        events.second_factor_changed(actor=actor, user=actor, note=f"移除安全密钥“{name}”",
                                     before={"security_key": name}, after=None)


class AuditedWebAuthnHelper(WebAuthnHelper):
    """django-otp-webauthn's helper with gongkai's rules: a key is registered only by a person who
    has the authenticator and passed the second factor in this session; registering one and every
    use, failed or not, is an audit row."""

    def get_allowed_origins(self) -> list[str]:
        origins = list(super().get_allowed_origins())
        # A development server on localhost runs on a port of its own choosing; anywhere else the
        # addresses are configured (GONGKAI_WEBAUTHN_ORIGINS, GONGKAI_PUBLIC_URL).
        host = self.request.get_host()
        if self.get_relying_party_domain() == "localhost" and host.split(":")[0] == "localhost":
            origins.append(f"{self.request.scheme}://{host}")
        return origins

    def register_begin(self, user):
        if not (twofactor.is_enrolled(user) and user.is_verified()):
            raise NotEnrolled()
        return super().register_begin(user)

    def create_credential(self, user, response, parsed_credential, original_data):
        key = super().create_credential(user, response, parsed_credential, original_data)
        key.name = _default_name(user)
        return key

    def register_complete(self, user, state, data):
        if not (twofactor.is_enrolled(user) and user.is_verified()):
            raise NotEnrolled()
        try:
            with transaction.atomic():
                key = super().register_complete(user, state, data)
                events.second_factor_changed(actor=user, user=user, note=f"登记安全密钥“{key.name}”",
                                             after={"security_key": key.name})
        except Exception:
            events.second_factor_changed(actor=user, user=user, outcome=Outcome.FAILURE, note="安全密钥登记失败")
            raise
        return key

    def authenticate_complete(self, user, state, data):
        try:
            key = super().authenticate_complete(user, state, data)
        except Exception:
            if user is not None:
                events.second_factor_changed(actor=user, user=user, outcome=Outcome.FAILURE, note="安全密钥验证失败")
            raise
        events.second_factor_changed(actor=key.user, user=key.user, note=f"安全密钥“{key.name}”验证通过")
        return key
