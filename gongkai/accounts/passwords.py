"""Password rules beyond Django's own validators, and when a password must be replaced.

GB/T 22239-2019 8.1.4.1 a) asks for 口令 of some complexity that are changed periodically; OWASP
ASVS 2.1 asks for a minimum length and a check against common passwords. Length, common passwords
and similarity to the account's name are Django's validators (settings.AUTH_PASSWORD_VALIDATORS);
the two below add the character classes and the exact user name.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import timezone

CHARACTER_CLASSES = (
    ("大写字母", str.isupper),
    ("小写字母", str.islower),
    ("数字", str.isdigit),
    ("符号", lambda c: not c.isalnum() and not c.isspace()),
)


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule, with its message in Chinese: Django 5.2's zh_Hans catalogue still has
    the message under its old wording, so it would reach staff in English."""

    def get_error_message(self):
        return f"密码太短，至少需要{self.min_length}个字符。"

    def get_help_text(self):
        return f"至少{self.min_length}个字符。"


class CharacterClassValidator:
    """At least ``min_classes`` of: upper-case letters, lower-case letters, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        present = [name for name, test in CHARACTER_CLASSES if any(test(c) for c in password)]
        if len(present) < self.min_classes:
            missing = "、".join(name for name, _test in CHARACTER_CLASSES if name not in present)
            raise ValidationError(
                f"密码须包含大写字母、小写字母、数字、符号中的至少{self.min_classes}类（还可加入：{missing}）。",
                code="password_too_few_character_classes",
            )

    def get_help_text(self):
        return f"须包含大写字母、小写字母、数字、符号中的至少{self.min_classes}类。"


class NotUsernameValidator:
    """The password may not contain the user name, in any letter case (Django's similarity check
    lets a long password through that merely contains it)."""

    def validate(self, password, user=None):
        username = (getattr(user, "username", "") or "").lower()
        if len(username) >= 3 and username in password.lower():
            raise ValidationError("密码不能包含用户名。", code="password_contains_username")

    def get_help_text(self):
        return "不能包含用户名。"


def note_password_set(user, *, by) -> None:
    """Called in the transaction that stores a new password. A password an administrator set
    (a new account, a reset) is known to two people, so its holder must replace it at the next
    sign-in; one set by its holder, or by the operator at the command line, need not be."""
    from gongkai.accounts.models import AccountState

    AccountState.objects.update_or_create(user=user, defaults={
        "password_changed_at": timezone.now(),
        "must_change_password": by is not None and by.pk != user.pk,
    })


def password_change_reason(user, *, now: dt.datetime | None = None) -> str:
    """Why ``user`` must choose a new password before working, or "" if they need not."""
    from gongkai.accounts.models import AccountState

    state = AccountState.objects.filter(user=user).first()
    if state is None:
        return ""
    if state.must_change_password:
        return "您的密码由管理员设置，请先修改为只有您知道的密码。"
    max_age = settings.GONGKAI_PASSWORD_MAX_AGE_DAYS
    if max_age and (now or timezone.now()) - state.password_changed_at >= dt.timedelta(days=max_age):
        return f"您的密码已使用超过{max_age}天，请修改后继续。"
    return ""
