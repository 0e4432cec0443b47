import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from gongkai.applications.models import Application
from gongkai.applications.reminders import queue_due_reminders
from gongkai.applications.tests.conftest import register
from gongkai.conftest import on
from gongkai.orgs.models import Membership

TODAY = dt.date(2026, 6, 10)  # a Wednesday
pytestmark = [pytest.mark.django_db, on(TODAY)]


def with_emails(world):
    for user in (world.drafter_a, world.admin_a):
        user.email = f"{user.username}@example.cn"
        user.save()


def send_due_reminders():
    return queue_due_reminders()["reminders"]


def test_due_soon_and_overdue_cases_mail_the_handler_and_the_head_once_a_day(world, run_tasks):
    with_emails(world)
    today = TODAY
    soon = register(world, received_on=today - dt.timedelta(days=25))  # 18 working days used
    late = register(world, received_on=today - dt.timedelta(days=60), applicant_name="李四")
    fresh = register(world, received_on=today, applicant_name="王五")
    batches = send_due_reminders()
    assert set(batches) == {"drafter_a@example.cn", "admin_a@example.cn"}
    text = "\n".join(batches["admin_a@example.cn"])
    assert late.tracking_code in text and "已超过" in text and fresh.tracking_code not in text
    assert Application.objects.get(pk=late.pk).last_reminded_on == today
    assert len(mail.outbox) == 0  # queued; the worker sends them
    run_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == ["admin_a@example.cn", "drafter_a@example.cn"]
    assert "申请期限提醒" in mail.outbox[0].subject
    assert send_due_reminders() == {}  # not again today
    assert soon.pk  # kept for readability of the scenario


def test_the_daily_command_hands_the_reminders_to_the_worker(world, run_tasks, capsys):
    from gongkai.jobs.models import Job

    with_emails(world)
    register(world, received_on=dt.date.today() - dt.timedelta(days=60))
    call_command("remind")
    assert "已把" in capsys.readouterr().out and not mail.outbox
    assert Job.objects.get().kind == Job.Kind.REMINDERS
    assert run_tasks() == 3  # the reminders task, then one send per recipient
    assert len(mail.outbox) == 2 and Application.objects.filter(last_reminded_on__isnull=False).count() == 1


def test_dry_run_marks_nothing_and_sends_nothing(world, capsys):
    with_emails(world)
    register(world, received_on=TODAY - dt.timedelta(days=60))
    call_command("remind", "--dry-run")
    assert "将向2位工作人员发送提醒" in capsys.readouterr().out
    assert len(mail.outbox) == 0 and not Application.objects.filter(last_reminded_on__isnull=False).exists()


def test_heads_of_other_agencies_are_not_told(world):
    with_emails(world)
    world.admin_b.email = "admin_b@example.cn"
    world.admin_b.save()
    register(world, received_on=TODAY - dt.timedelta(days=60))
    assert "admin_b@example.cn" not in send_due_reminders()
    assert Membership.objects.filter(user=world.admin_b).exists()


def test_a_mail_server_that_is_down_delays_the_reminders_without_losing_them(world, settings, run_tasks):
    from gongkai.applications.models import OutgoingMail

    with_emails(world)
    register(world, received_on=TODAY - dt.timedelta(days=60))
    settings.EMAIL_BACKEND = "gongkai.applications.tests.test_reminders.BrokenBackend"
    send_due_reminders()
    run_tasks()
    assert OutgoingMail.objects.filter(attempts=1, last_error="mail server down").count() == 2
    assert send_due_reminders() == {}  # marked: tomorrow's run does not repeat them, the outbox retries them


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("mail server down")
