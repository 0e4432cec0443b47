"""The worker as production runs it: `gongkai db_worker` in a process of its own, on committed rows."""

import subprocess
import time

import pytest
from django.conf import settings

from gongkai.applications import intake
from gongkai.applications.models import Letter, OutgoingMail
from gongkai.applications.tests.conftest import applicant
from gongkai.conftest import worker_command, worker_env

pytestmark = pytest.mark.django_db(transaction=True)


def outbox_files_with(text: str) -> list:
    folder = settings.EMAIL_FILE_PATH
    return [f for f in folder.glob("*.log") if text in f.read_text("utf-8")] if folder.exists() else []


def test_the_worker_command_sends_the_mail_and_renders_the_receipt_of_a_committed_submission(taxonomy, world):
    application, secret = intake.submit_online(agency=world.agency_a, data=applicant(), submission_key="w1")
    receipt = application.letters.get()
    assert not receipt.pdf and OutgoingMail.objects.count() == 1
    done = subprocess.run(worker_command("--batch"), env=worker_env(), timeout=180, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    receipt = Letter.objects.get(pk=receipt.pk)
    with receipt.pdf.open("rb") as stored:
        assert stored.read(4) == b"%PDF"
    assert receipt.docx.storage.exists(receipt.docx.name)
    assert not OutgoingMail.objects.exists()
    (sent,) = outbox_files_with(application.tracking_code)  # the file mail backend's message, once
    assert "Subject:" in sent.read_text("utf-8")


def test_a_running_worker_picks_up_work_as_it_is_committed(taxonomy, world, worker_process):
    application, _secret = intake.submit_online(agency=world.agency_a, data=applicant(), submission_key="w2")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (OutgoingMail.objects.exists() or not application.letters.get().pdf):
        time.sleep(0.1)
    assert not OutgoingMail.objects.exists() and application.letters.get().pdf
    assert worker_process.poll() is None  # still waiting for more
