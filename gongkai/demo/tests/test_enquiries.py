import datetime as dt

import pytest

from gongkai.conftest import on
from gongkai.demo.tests.conftest import DEMO_DAY
from gongkai.enquiries import queries
from gongkai.enquiries.models import Enquiry, Faq, Status
from gongkai.orgs.models import Agency

pytestmark = [pytest.mark.django_db, on(DEMO_DAY)]


def test_demo_messages_show_every_outcome(demo):
    everyone = Agency.objects.values_list("pk", flat=True)
    today = DEMO_DAY
    assert queries.published_answers().count() >= 3
    assert [e.subject for e in queries.enquiries_overdue(everyone, today)] == ["高龄津贴发放标准"]
    assert Faq.objects.filter(source__status=Status.ANSWERED).exists()
    converted = Enquiry.objects.get(status=Status.CONVERTED)
    assert converted.application.received_on == converted.received_on == today - dt.timedelta(days=6)
    assert Enquiry.objects.filter(status=Status.REFUSED, refusal_reason="duplicate").exists()
    assert Enquiry.objects.filter(transferred_from__isnull=False).exists()
    assert all(e.answered_on >= e.received_on for e in Enquiry.objects.filter(answered_on__isnull=False))
