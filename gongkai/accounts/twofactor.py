"""The second factor: a TOTP authenticator (RFC 6238) kept by django-otp, and single-use recovery
codes kept as salted hashes by a django-otp device of our own (accounts.models.RecoveryCodeDevice).
等保 8.1.4.1 d) asks for two or more authentication techniques, one of them cryptographic; ASVS 2.8
describes the one-time-password authenticator used here.

Security keys (WebAuthn) are a further device of the same kind (security_keys.py).

Every account that signs in to the workspace must pass it (middleware.StaffGateMiddleware):
staff accounts hold roles that read personal data or change records, and the 系统管理员 is no
exception. Each change (enrolment, new recovery codes, a reset by the 安全管理员) is audited.
"""

import django_otp
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from gongkai.accounts import events
from gongkai.accounts.models import RecoveryCode, RecoveryCodeDevice, display_recovery_code, new_recovery_code
from gongkai.audit.models import Outcome
from gongkai.errors import ServiceError
from gongkai.orgs import access
from gongkai.orgs.roles import Perm

RECOVERY_CODE_COUNT = 10
TOTP_NAME = "身份验证器"
RECOVERY_NAME = "恢复码"


def totp_device(user) -> TOTPDevice | None:
    """The person's confirmed authenticator, if they have enrolled one."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def is_enrolled(user) -> bool:
    return totp_device(user) is not None


def enrolment_device(user) -> TOTPDevice:
    """The not yet confirmed authenticator the enrolment page shows (a new secret the first time)."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def enrol_confirm(request, *, token: str) -> list[str]:
    """Confirm the authenticator with its first code, sign this session in with it and issue the
    recovery codes (shown once). Returns the codes."""
    user = request.user
    if is_enrolled(user):
        raise ServiceError("TOTP_ALREADY_ENROLLED", "您已绑定身份验证器。如需更换，请联系安全管理员重置。")
    device = enrolment_device(user)
    token = (token or "").strip().replace(" ", "")
    if not (token.isdigit() and len(token) == device.digits):
        raise ServiceError("TOTP_CODE_FORMAT", f"请输入身份验证器显示的{device.digits}位数字。", field="token")
    with transaction.atomic():
        if not device.verify_token(token):
            raise ServiceError("TOTP_CODE_WRONG", "验证码不正确或已过期，请输入身份验证器当前显示的验证码。", field="token")
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _issue_recovery_codes(user)
        events.second_factor_changed(actor=user, user=user, note="绑定身份验证器，生成恢复码")
    django_otp.login(request, device)
    return codes


def _issue_recovery_codes(user) -> list[str]:
    """Ten new codes, returned once for the page to show; only their salted hashes are kept."""
    _remove_recovery_codes(user)
    device = RecoveryCodeDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    device.add_codes(codes)
    return [display_recovery_code(code) for code in codes]


def _remove_recovery_codes(user) -> int:
    # StaticDevice: a set from before the codes were hashed that the migration did not reach
    # (none are made any more); removing it with the new set keeps "old codes stop working" true.
    return RecoveryCodeDevice.objects.filter(user=user).delete()[0] + StaticDevice.objects.filter(user=user).delete()[0]


def recovery_codes_renew(*, actor) -> list[str]:
    """New recovery codes for the signed-in person; the old ones stop working."""
    if not is_enrolled(actor):
        raise ServiceError("TOTP_NOT_ENROLLED", "请先绑定身份验证器。")
    with transaction.atomic():
        codes = _issue_recovery_codes(actor)
        events.second_factor_changed(actor=actor, user=actor, note="重新生成恢复码，旧恢复码作废")
    return codes


def recovery_codes_left(user) -> int:
    return RecoveryCode.objects.filter(device__user=user, device__confirmed=True).count()


def verify(request, *, token: str) -> None:
    """Check a code from the authenticator or a recovery code and mark this session verified."""
    user = request.user
    token = (token or "").strip().replace(" ", "").replace("-", "").lower()
    if not token:
        raise ServiceError("TOTP_CODE_REQUIRED", "请输入验证码或恢复码。", field="token")
    if token.isdigit():
        device, kind = totp_device(user), "身份验证器"
    else:
        device, kind = RecoveryCodeDevice.objects.devices_for_user(user, confirmed=True).first(), "恢复码"
    if device is None:
        raise ServiceError("TOTP_CODE_WRONG", "验证码不正确。", field="token")
    allowed, _detail = device.verify_is_allowed()
    if not allowed:
        events.second_factor_changed(actor=user, user=user, outcome=Outcome.REFUSED, note=f"{kind}验证过于频繁，暂被拒绝")
        raise ServiceError("TOTP_THROTTLED", "验证码错误次数过多，请稍等片刻再试。", field="token")
    with transaction.atomic():
        verified = django_otp.verify_token(user, device.persistent_id, token)
    if verified is None:
        events.second_factor_changed(actor=user, user=user, outcome=Outcome.FAILURE, note=f"{kind}验证失败")
        hint = "请输入身份验证器当前显示的验证码" if kind == "身份验证器" else "请换一个未用过的恢复码"
        wrong = "验证码" if kind == "身份验证器" else "恢复码"
        raise ServiceError("TOTP_CODE_WRONG", f"{wrong}不正确或已使用过，{hint}。", field="token")
    django_otp.login(request, verified)
    left = f"，剩余恢复码{recovery_codes_left(user)}个" if kind == "恢复码" else ""
    events.second_factor_changed(actor=user, user=user, note=f"{kind}验证通过{left}")


def second_factor_reset(*, actor, user) -> None:
    """A person who lost their authenticator and recovery codes enrols again at the next sign-in;
    their security keys are removed too, so that nothing of the old second factor outlives it.
    This weakens an account, so only the 安全管理员 does it, and never for themselves."""
    access.require(actor, Perm.MANAGE_SECURITY)
    if actor is not None and actor.pk == user.pk:
        raise ServiceError("TOTP_RESET_SELF", "不能重置自己的双因素认证，请由其他安全管理员操作。")
    with transaction.atomic():
        removed = (TOTPDevice.objects.filter(user=user).delete()[0] + _remove_recovery_codes(user)
                   + WebAuthnCredential.objects.filter(user=user).delete()[0])
        if not removed:
            raise ServiceError("TOTP_NOT_ENROLLED", f"{user.username} 尚未绑定身份验证器，无需重置。")
        events.second_factor_changed(actor=actor, user=user, note="安全管理员重置双因素认证，须重新绑定")
