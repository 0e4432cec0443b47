"""Mail: an outbox row and its send task, written in the caller's transaction, sent by the worker
one message per task, encrypted while it waits, tried again when refused, never sent twice,
deleted once sent."""

import email
import email.policy

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from gongkai.applications import intake, mailing
from gongkai.applications.models import Application, OutgoingMail
from gongkai.applications.tasks import send_outgoing_mail
from gongkai.applications.tests.conftest import applicant

pytestmark = pytest.mark.django_db
REFUSING = "gongkai.applications.tests.test_mailing.RefusingBackend"


class RefusingBackend:
    """A mail server that is down: every send fails as smtplib's would."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def submit(world, key, **overrides):
    return intake.submit_online(agency=world.agency_a, data=applicant(**overrides), submission_key=key)


def sends():
    return DBTaskResult.objects.filter(task_path=send_outgoing_mail.module_path)


def test_the_mail_waits_encrypted_in_the_outbox_and_the_worker_sends_it(world, run_tasks):
    application, secret = submit(world, "m1")
    waiting = OutgoingMail.objects.get()
    assert waiting.recipient == application.email and secret in waiting.body and not mail.outbox
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM applications_outgoingmail")
        assert secret not in cursor.fetchone()[0]
    (task,) = sends()
    assert task.args_kwargs == {"args": [waiting.pk], "kwargs": {}}  # the queue's row never holds the secret
    run_tasks()
    assert len(mail.outbox) == 1 and secret in mail.outbox[0].body
    assert not OutgoingMail.objects.exists()  # the secret is not kept once sent
    assert sends().get().status == "SUCCESSFUL"


def test_chinese_subject_and_body_survive_the_wire_format(world, run_tasks):
    application, secret = submit(world, "m9")
    run_tasks()
    parsed = email.message_from_bytes(mail.outbox[0].message().as_bytes(), policy=email.policy.default)
    assert parsed["Subject"].strip() == f"您的政府信息公开申请已收到（查询码 {application.tracking_code}）"
    assert parsed["To"] == application.email
    assert f"查询密码：{secret}" in parsed.get_body().get_content()


def test_a_rolled_back_submission_queues_and_sends_nothing(world, run_tasks):
    with pytest.raises(RuntimeError), transaction.atomic():
        submit(world, "m2")
        raise RuntimeError("the caller's transaction fails after the submission")
    assert run_tasks() == 0
    assert not Application.objects.exists() and not OutgoingMail.objects.exists() and not mail.outbox
    assert not DBTaskResult.objects.exists()


def test_no_email_address_no_mail(world, run_tasks):
    submit(world, "m3", email="", provision_form="post")
    run_tasks()
    assert not OutgoingMail.objects.exists() and not mail.outbox and not sends().exists()


def test_a_refused_mail_stays_backs_off_and_is_sent_once_later(world, run_tasks, settings):
    settings.EMAIL_BACKEND = REFUSING
    application, secret = submit(world, "m4")
    run_tasks()
    kept = OutgoingMail.objects.get()
    assert kept.attempts == 1 and "mail server down" in kept.last_error and kept.not_before > timezone.now()
    failed, retry = sends().order_by("enqueued_at")
    assert failed.status == "FAILED" and "MailRefused" in failed.exception_class_path
    assert retry.status == "READY" and retry.run_after == kept.not_before  # the back-off, through the queue
    assert Application.objects.filter(pk=application.pk).exists()  # the submission stands
    assert run_tasks() == 0  # backing off: not hammered again at once
    call_command("retry_mail")  # the retry is already waiting: cron adds nothing
    assert sends().filter(status="READY").count() == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The back-off is over (instead of waiting for it): for the queue and for the outbox's lease.
    sends().filter(status="READY").update(run_after=timezone.now())
    OutgoingMail.objects.update(not_before=timezone.now())
    assert run_tasks() == 1
    assert len(mail.outbox) == 1 and secret in mail.outbox[0].body and not OutgoingMail.objects.exists()
    call_command("retry_mail")
    assert run_tasks() == 0 and len(mail.outbox) == 1  # nothing is sent twice


def test_a_message_taken_by_a_run_that_died_is_sent_after_its_lease(world, run_tasks):
    submit(world, "m7")
    message = OutgoingMail.objects.get()
    assert mailing._take(message.pk, timezone.now()) is not None  # a worker takes it ... and dies
    sends().update(status="RUNNING")  # its task is left running forever
    assert mailing.send(message.pk) == {"outbox": message.pk, "sent": False}  # nobody else sends it meanwhile
    assert mailing.requeue_due()["queued"] == 0  # the lease still runs
    OutgoingMail.objects.update(not_before=timezone.now() - mailing.LEASE)
    assert mailing.requeue_due()["queued"] == 1
    run_tasks()
    assert len(mail.outbox) == 1 and not OutgoingMail.objects.exists()


def test_two_runs_of_the_same_send_deliver_once(world, run_tasks):
    submit(world, "m8")
    send_outgoing_mail.enqueue(OutgoingMail.objects.get().pk)
    run_tasks()
    assert sends().filter(status="SUCCESSFUL").count() == 2 and len(mail.outbox) == 1


def test_retry_gives_up_after_max_attempts(world):
    OutgoingMail.objects.create(recipient="a@example.cn", subject="s", body="b", attempts=mailing.MAX_ATTEMPTS)
    assert mailing.requeue_due() == {"queued": 0, "given_up": 1}
    assert not sends().exists() and OutgoingMail.objects.count() == 1


def test_backoff_doubles_up_to_an_hour():
    assert [mailing.backoff(n).total_seconds() for n in (1, 2, 3, 7, 8, 20)] == [60, 120, 240, 3600, 3600, 3600]
