"""The page after submitting says where the mail with the code and secret really is: never
「已发送到您的电子邮箱」 while it waits in the outbox, or on an installation that keeps mail on the
machine (the default file backend)."""

import pytest
from django.core import mail
from django.urls import reverse

from gongkai.applications import mailing
from gongkai.applications.models import Application, OutgoingMail
from gongkai.applications.tests.conftest import applicant
from gongkai.applications.tests.test_mailing import REFUSING
from gongkai.applications.tests.test_views import TODAY, post_application
from gongkai.conftest import on

pytestmark = [pytest.mark.django_db, on(TODAY)]


def submitted_page(client, world, **overrides) -> str:
    response, _key = post_application(client, world, **overrides)
    return client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(("backend", "delivers"), [
    ("", "False"), ("django.core.mail.backends.smtp.EmailBackend", "True")])
def test_only_a_backend_that_sends_counts_as_delivery(tmp_path, backend, delivers):
    """The default (encrypted files in the data directory) keeps mail on the machine."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("GONGKAI_EMAIL", "GONGKAI_MAIL"))}
    env |= {"GONGKAI_DATA_DIR": str(tmp_path), **({"GONGKAI_EMAIL_BACKEND": backend} if backend else {})}
    run = subprocess.run([sys.executable, "-c", "import gongkai.settings as s; print(s.GONGKAI_MAIL_DELIVERS)"],
                         env=env, capture_output=True, text=True, check=True)
    assert run.stdout.strip() == delivers


def test_mail_kept_on_the_machine_is_not_called_sent(world, client, settings):
    settings.GONGKAI_MAIL_DELIVERS = False
    page = submitted_page(client, world)
    assert "已发送" not in page and "将发送" not in page
    assert "本平台目前不通过电子邮件发送查询码和查询密码" in page


def test_queued_mail_is_announced_as_waiting_then_as_sent_once_the_server_took_it(world, client, settings, run_tasks):
    settings.GONGKAI_MAIL_DELIVERS = True
    page = submitted_page(client, world)
    application = Application.objects.get()
    assert mailing.code_mail_state(application) == mailing.MailState.QUEUED
    assert "已发送" not in page
    assert "将发送到您的电子邮箱 z***@example.cn，目前正在排队发送" in page
    run_tasks()
    assert len(mail.outbox) == 1 and not OutgoingMail.objects.exists()
    assert mailing.code_mail_state(application) == mailing.MailState.SENT
    again = client.get(reverse("apply:submitted", args=[application.tracking_code])).content.decode()
    assert "已发送到您的电子邮箱 z***@example.cn（邮件服务器已接收）" in again


def test_a_refused_send_says_so(world, client, settings, run_tasks):
    settings.GONGKAI_MAIL_DELIVERS = True
    settings.EMAIL_BACKEND = REFUSING
    post_application(client, world)
    run_tasks()
    application = Application.objects.get()
    assert OutgoingMail.objects.get().last_error
    assert mailing.code_mail_state(application) == mailing.MailState.RETRYING
    page = client.get(reverse("apply:submitted", args=[application.tracking_code])).content.decode()
    assert "暂未发送成功" in page and "已发送" not in page


def test_no_address_no_mail_sentence(world, client, settings):
    settings.GONGKAI_MAIL_DELIVERS = True
    page = submitted_page(client, world, email="", provision_form="paper")
    assert 'id="mail-state"' not in page


def test_reloading_the_page_is_not_called_a_second_submission(world, client):
    response, key = post_application(client, world)
    client.get(response["Location"])
    reloaded = client.get(response["Location"]).content.decode()
    assert "此前已经提交过" not in reloaded and "查询密码已在提交后显示过一次" in reloaded
    again = client.post(reverse("apply:form", args=[world.agency_a.code]),
                        {**applicant(),
                         "submission_key": key})
    assert 'id="resubmitted"' in client.get(again["Location"]).content.decode()
    assert Application.objects.count() == 1
