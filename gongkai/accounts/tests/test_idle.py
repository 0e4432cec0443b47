import datetime as dt
import json

from django.contrib.auth import get_user_model
from django.core.management import call_command

from gongkai.accounts.idle import disable_idle_accounts
from gongkai.audit.models import Action, AuditEntry

NOW = dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC)


def _last_used(user, when):
    get_user_model().objects.filter(pk=user.pk).update(last_login=when, date_joined=when - dt.timedelta(days=400))


def test_accounts_unused_for_ninety_days_are_disabled_and_audited(world):
    _last_used(world.drafter_a, NOW - dt.timedelta(days=90, minutes=1))
    _last_used(world.drafter_b, NOW - dt.timedelta(days=89, hours=23))
    get_user_model().objects.exclude(pk__in=[world.drafter_a.pk, world.drafter_b.pk]).update(last_login=NOW)
    assert disable_idle_accounts(now=NOW) == ["drafter_a"]
    world.drafter_a.refresh_from_db()
    world.drafter_b.refresh_from_db()
    assert not world.drafter_a.is_active and world.drafter_b.is_active
    row = AuditEntry.objects.get(action=Action.DEACTIVATE, object_id=str(world.drafter_a.pk))
    assert row.actor is None and "连续90天未使用" in row.note and row.after == {"is_active": False}


def test_an_account_never_signed_in_counts_from_its_creation(world):
    get_user_model().objects.update(last_login=NOW)
    get_user_model().objects.filter(pk=world.leader_a.pk).update(last_login=None,
                                                                 date_joined=NOW - dt.timedelta(days=91))
    assert disable_idle_accounts(now=NOW) == ["leader_a"]


def test_the_command_for_cron_reports_what_it_disabled(world, capsys):
    get_user_model().objects.update(last_login=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    call_command("accounts", "disable-idle", "--days", "90", "--json")
    disabled = json.loads(capsys.readouterr().out)["disabled"]
    assert "drafter_a" in disabled and "sysadmin" in disabled
    call_command("accounts", "disable-idle")
    assert "没有需要停用的账号" in capsys.readouterr().out
