"""Mail to applicants: sent after the commit, kept (encrypted) when refused, sent again later."""

from unittest import mock

import pytest
from django.core import mail
from django.db import connection

from gongkai.applications import intake, mailing
from gongkai.applications.models import Application, KeptMail
from gongkai.applications.tests.conftest import applicant

pytestmark = pytest.mark.django_db


def refusing(*_args, **_kwargs):
    raise ConnectionRefusedError("mail server down")


def test_a_refused_mail_is_kept_encrypted_and_the_submission_stands(world):
    with mock.patch("gongkai.applications.mailing.send_mail", refusing):
        application, secret = intake.submit_online(agency=world.agency_a, data=applicant(), submission_key="m1")
    assert Application.objects.filter(pk=application.pk).exists() and len(mail.outbox) == 0
    kept = KeptMail.objects.get()
    assert kept.recipient == application.email and secret in kept.body and "mail server down" in kept.last_error
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM applications_keptmail")
        assert secret not in cursor.fetchone()[0]


def test_retry_sends_kept_mail_once_and_forgets_it(world):
    with mock.patch("gongkai.applications.mailing.send_mail", refusing):
        _application, secret = intake.submit_online(agency=world.agency_a, data=applicant(), submission_key="m2")
        assert mailing.retry_kept() == {"sent": 0, "failed": 1, "given_up": 0}
    assert KeptMail.objects.get().attempts == 2
    assert mailing.retry_kept() == {"sent": 1, "failed": 0, "given_up": 0}
    assert len(mail.outbox) == 1 and secret in mail.outbox[0].body
    assert not KeptMail.objects.exists()
    assert mailing.retry_kept()["sent"] == 0  # nothing is sent twice


def test_retry_gives_up_after_max_attempts(world):
    KeptMail.objects.create(recipient="a@example.cn", subject="s", body="b", attempts=mailing.MAX_ATTEMPTS)
    assert mailing.retry_kept() == {"sent": 0, "failed": 0, "given_up": 1}
    assert len(mail.outbox) == 0
