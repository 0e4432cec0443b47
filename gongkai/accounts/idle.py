"""Accounts nobody has used for a long time are switched off (等保 8.1.4.1: 及时删除或停用多余的、
过期的账户; ASVS 2.5). Run daily from cron as ``gongkai accounts disable-idle``."""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce

from gongkai.audit.models import Action
from gongkai.audit.services import record, snapshot

User = get_user_model()


def idle_accounts(*, now: dt.datetime, days: int | None = None):
    """Active accounts neither signed in to nor created in the last ``days`` days."""
    days = settings.GONGKAI_ACCOUNT_IDLE_DAYS if days is None else days
    cutoff = now - dt.timedelta(days=days)
    return (User.objects.filter(is_active=True).annotate(last_used=Coalesce("last_login", "date_joined"))
            .filter(Q(last_used__lt=cutoff)).order_by("username"))


def disable_idle_accounts(*, now: dt.datetime, days: int | None = None) -> list[str]:
    """Deactivate every idle account, one audit row each; returns their user names."""
    days = settings.GONGKAI_ACCOUNT_IDLE_DAYS if days is None else days
    disabled = []
    for user in idle_accounts(now=now, days=days):
        with transaction.atomic():
            before = snapshot(user, ["is_active"])
            user.is_active = False
            user.save(update_fields=["is_active"])
            record(actor=None, action=Action.DEACTIVATE, obj=user, before=before, after=snapshot(user, ["is_active"]),
                   note=f"连续{days}天未使用，自动停用")
        disabled.append(user.username)
    return disabled
