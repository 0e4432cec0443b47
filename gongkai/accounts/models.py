from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import models
from django.utils.crypto import get_random_string
from django_otp.models import Device, ThrottlingMixin, TimestampMixin


class AccountState(models.Model):
    """The password's age and whether its holder must replace it (等保 身份鉴别: 口令定期更换,
    初始口令和重置后的口令须由本人修改). One row per account, made when a password is first set."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_state",
                                primary_key=True)
    password_changed_at = models.DateTimeField("密码设置时间")
    must_change_password = models.BooleanField("须修改密码", default=False)

    class Meta:
        verbose_name = "账号状态"
        verbose_name_plural = "账号状态"

    def __str__(self):
        return self.user.username


# Recovery codes: 10 characters of base 32 (50 bits), shown as two groups of five.
RECOVERY_CODE_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
RECOVERY_CODE_LENGTH = 10


def new_recovery_code() -> str:
    return get_random_string(RECOVERY_CODE_LENGTH, RECOVERY_CODE_ALPHABET)


def normalise_recovery_code(typed: str) -> str:
    """What a person types, as stored: case, spaces and the group dash do not matter."""
    return (typed or "").strip().lower().replace(" ", "").replace("-", "")


def new_recovery_salt() -> str:
    return get_random_string(22)  # as Django's hashers make salts: about 128 bits


def display_recovery_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}" if len(code) == RECOVERY_CODE_LENGTH else code


class RecoveryCodeDevice(TimestampMixin, ThrottlingMixin, Device):
    """A set of single-use recovery codes, kept as salted password hashes (ASVS 2.6.2), never in clear.

    django-otp's own static device (otp_static) stores its tokens as typed, and has no option to
    hash them (django-otp issue #68, open): anyone who reads the database or a dump could sign in
    with them after the password. This device plugs into django-otp through its public Device API
    (``verify_is_allowed`` with django-otp's throttling, ``verify_token``), so ``django_otp.verify_token``
    and ``django_otp.login`` treat it like any other device.

    The codes of one set share one random salt (the layout django-otp's maintainer proposed for
    #68): a typed code is hashed once with Django's current password hasher and found by equality,
    instead of one slow hash per remaining code. Codes hashed under an earlier hasher (after a
    Django upgrade raised the iterations) are still checked one by one with ``check_password``.
    """

    salt = models.CharField(max_length=64, default=new_recovery_salt)

    class Meta:
        verbose_name = "恢复码"
        verbose_name_plural = "恢复码"

    def get_throttle_factor(self):
        return getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1)

    def hash_code(self, code: str) -> str:
        return make_password(normalise_recovery_code(code), salt=self.salt)

    def add_codes(self, codes: list[str]) -> None:
        RecoveryCode.objects.bulk_create([RecoveryCode(device=self, code_hash=self.hash_code(code)) for code in codes])

    def _matching(self, token: str):
        candidate = self.hash_code(token)
        match = self.codes.filter(code_hash=candidate).first()
        if match is not None:
            return match
        parameters = candidate.rsplit("$", 1)[0] + "$"
        for code in self.codes.exclude(code_hash__startswith=parameters):
            if check_password(normalise_recovery_code(token), code.code_hash):
                return code
        return None

    def verify_token(self, token):
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        match = self._matching(token) if normalise_recovery_code(token) else None
        # Deleting by id and counting: of two requests racing with the same code, one wins.
        if match is not None and RecoveryCode.objects.filter(pk=match.pk).delete()[0]:
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save()
            return True
        self.throttle_increment()
        return False


class RecoveryCode(models.Model):
    """One unused recovery code, as a salted hash (Django's password hasher format). Used codes are deleted."""

    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=256, db_index=True)

    class Meta:
        verbose_name = "恢复码散列"
        verbose_name_plural = "恢复码散列"

    def __str__(self):
        return f"{self.device.user} 的恢复码"
