import pytest
from django.core import mail

from gongkai.applications import intake
from gongkai.applications.models import OutgoingMail
from gongkai.applications.tests.conftest import applicant

pytestmark = pytest.mark.django_db


def test_smoke(world, run_tasks):
    application, secret = intake.submit_online(agency=world.agency_a, data=applicant(), submission_key="x")
    assert OutgoingMail.objects.count() == 1
    assert run_tasks() == 2
    assert len(mail.outbox) == 1
    letter = application.letters.get()
    assert letter.pdf and letter.docx
