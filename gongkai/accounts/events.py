"""Security events in the audit trail (等保 8.1.4.3 安全审计; ASVS V7.2): sign-in and its failures,
lockout, sign-out, second-factor changes, refusals, personal data read or downloaded, exports.

Each row carries the request's id and the client's address (audit/context.py) and an outcome.
Sign-in, sign-out and lockout come from django.contrib.auth's and django-axes's signals, which
fire wherever a login happens; the rest are called by the views that serve them.
"""

import time

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from gongkai.accounts.middleware import LAST_SEEN_KEY, PASSWORD_CHECKED_KEY
from gongkai.audit.models import Action, Outcome
from gongkai.audit.services import record

User = get_user_model()


def _account(username: str):
    """The account a sign-in attempt named, or an unsaved stand-in that keeps the name tried."""
    username = (username or "")[:150]
    return User.objects.filter(username__iexact=username).first() or User(username=username)


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        # A sign-in starts the idle period afresh and checks the password's age again, also when
        # it reuses the session of an earlier one.
        request.session[LAST_SEEN_KEY] = time.time()
        request.session.pop(PASSWORD_CHECKED_KEY, None)
    record(actor=user, action=Action.LOGIN, obj=user, note="密码验证通过")


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    if request is not None and getattr(request, "gongkai_refused_while_locked", False):
        # Refused by the lockout before the password was checked (backends.py): recorded once, as a
        # refusal, by _locked_out below.
        return
    account = _account(credentials.get("username", ""))
    record(actor=None, label=f"（未登录）{account.username}", action=Action.LOGIN_FAILED, obj=account,
           outcome=Outcome.FAILURE, note="用户名或密码不正确，或账号已停用")


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs):
    account = _account(username)
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if getattr(request, "gongkai_refused_while_locked", False):
        note = "账号锁定中，登录被拒绝"
    else:
        note = f"连续{settings.AXES_FAILURE_LIMIT}次登录失败，锁定{minutes}分钟"
    record(actor=None, label=f"（未登录）{account.username}", action=Action.LOCKOUT, obj=account,
           outcome=Outcome.REFUSED, note=note)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        reason = getattr(request, "gongkai_logout_reason", "") if request is not None else ""
        record(actor=user, action=Action.LOGOUT, obj=user, note=reason or "本人退出")


def second_factor_changed(*, actor, user, note: str, outcome: str = Outcome.SUCCESS, before=None, after=None) -> None:
    record(actor=actor, action=Action.TWO_FACTOR, obj=user, note=note, outcome=outcome, before=before, after=after)
