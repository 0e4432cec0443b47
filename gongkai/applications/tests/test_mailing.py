"""Mail to applicants: an outbox row in the submission's transaction, sent after the commit,
encrypted while it waits, tried again when refused, never lost, deleted once sent."""

import time
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction

from gongkai.applications import intake, mailing
from gongkai.applications.models import Application, OutgoingMail
from gongkai.applications.tests.conftest import applicant

pytestmark = pytest.mark.django_db


def refusing(*_args, **_kwargs):
    raise ConnectionRefusedError("mail server down")


def due_again():
    """The back-off of every refused message is over (instead of waiting for it)."""
    OutgoingMail.objects.update(not_before=None)


def submit(world, key, **overrides):
    return intake.submit_online(agency=world.agency_a, data=applicant(**overrides), submission_key=key)


def test_the_mail_is_in_the_outbox_encrypted_and_sent_only_after_the_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        application, secret = submit(world, "m1")
        waiting = OutgoingMail.objects.get()
        assert waiting.recipient == application.email and secret in waiting.body and not mail.outbox
        with connection.cursor() as cursor:
            cursor.execute("SELECT body FROM applications_outgoingmail")
            assert secret not in cursor.fetchone()[0]
    assert len(callbacks) == 1 and not mail.outbox  # nothing sent before the commit
    callbacks[0]()
    assert len(mail.outbox) == 1 and secret in mail.outbox[0].body and application.tracking_code in mail.outbox[0].subject
    assert not OutgoingMail.objects.exists()  # the secret is not kept once sent


def test_a_rolled_back_submission_sends_nothing(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            submit(world, "m2")
            raise RuntimeError("the caller's transaction fails after the submission")
    assert not Application.objects.exists() and not OutgoingMail.objects.exists() and not mail.outbox


def test_no_email_address_no_mail(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(world, "m3", email="", provision_form="post")
    assert not OutgoingMail.objects.exists() and not mail.outbox


def test_a_refused_mail_stays_and_is_sent_once_on_a_later_round(world, django_capture_on_commit_callbacks):
    with mock.patch.object(mailing.PlainTextMail, "send", refusing), django_capture_on_commit_callbacks(execute=True):
        application, secret = submit(world, "m4")
    kept = OutgoingMail.objects.get()
    assert kept.attempts == 1 and "mail server down" in kept.last_error and kept.not_before is not None
    assert Application.objects.filter(pk=application.pk).exists()  # the submission stands
    assert mailing.deliver_pending()["taken"] == 0  # backing off: not hammered again at once
    due_again()
    with mock.patch.object(mailing.PlainTextMail, "send", refusing):
        assert mailing.deliver_pending() == {"taken": 1, "sent": 0, "failed": 1}
    assert OutgoingMail.objects.get().attempts == 2
    due_again()
    call_command("retry_mail")
    assert len(mail.outbox) == 1 and secret in mail.outbox[0].body
    assert not OutgoingMail.objects.exists()
    assert mailing.deliver_all() == {"sent": 0, "failed": 0, "given_up": 0}  # nothing is sent twice


def test_a_server_that_cannot_be_reached_fails_the_whole_batch_for_later(world, django_capture_on_commit_callbacks):
    with mock.patch.object(mailing, "get_connection") as broken, django_capture_on_commit_callbacks(execute=True):
        broken.return_value.open.side_effect = ConnectionRefusedError("no route")
        submit(world, "m5")
        submit(world, "m6", id_number="11010519491231002X", description="另一项申请：请公开2024年预算。")
    assert OutgoingMail.objects.filter(attempts=1, last_error="no route").count() == 2 and not mail.outbox
    due_again()
    assert mailing.deliver_all()["sent"] == 2 and len(mail.outbox) == 2


def test_a_message_taken_by_a_sender_that_died_is_sent_after_its_lease(world, django_capture_on_commit_callbacks):
    with mock.patch.object(mailing, "wake"):  # the committing process dies before sending
        with django_capture_on_commit_callbacks(execute=True):
            submit(world, "m7")
    from django.utils import timezone

    assert len(mailing._claim(10, timezone.now())) == 1  # a sender takes it ... and dies
    assert mailing.deliver_pending()["taken"] == 0  # nobody else sends it while the lease runs
    OutgoingMail.objects.update(not_before=timezone.now() - mailing.LEASE)
    assert mailing.deliver_all()["sent"] == 1 and len(mail.outbox) == 1


def test_retry_gives_up_after_max_attempts(world):
    OutgoingMail.objects.create(recipient="a@example.cn", subject="s", body="b", attempts=mailing.MAX_ATTEMPTS)
    assert mailing.deliver_all() == {"sent": 0, "failed": 0, "given_up": 1}
    assert len(mail.outbox) == 0 and OutgoingMail.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_sender_thread_sends_after_the_commit(world, settings):
    settings.GONGKAI_MAIL_SENDER = "thread"
    try:
        application, secret = submit(world, "m8")
        deadline = time.monotonic() + 20
        while not mail.outbox and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(mail.outbox) == 1 and secret in mail.outbox[0].body
        while OutgoingMail.objects.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not OutgoingMail.objects.exists()
    finally:
        mailing.stop_sender()
