"""Out-of-range input on staff pages and the API gets a specific error, not a server error."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.applications.models import Application
from gongkai.applications.tests.conftest import applicant, register

pytestmark = pytest.mark.django_db


def test_ledger_year_out_of_range_is_refused(world, login):
    client = login(world.admin_a)
    response = client.get(reverse("applications_staff:ledger", args=[world.agency_a.code]), {"year": "99999"})
    assert response.status_code == 400 and "年份" in response.content.decode()


def test_calendar_start_near_the_end_of_time_is_a_form_error(world, login):
    client = login(world.sysadmin)
    response = client.get(reverse("staff:calendar"), {"start": "9999-12-20", "working_days": "20"})
    assert response.status_code == 200
    assert "起算日期应在" in response.content.decode() and response.context["result"] is None


def test_assigning_a_handler_id_beyond_64_bits_is_refused(world, login):
    application = register(world)
    handler_before = application.handler_id
    client = login(world.admin_a)
    response = client.post(reverse("applications_staff:act", args=[world.agency_a.code, application.pk, "assign"]),
                           {"handler": str(10**30)}, follow=True)
    assert response.status_code == 200
    assert Application.objects.get(pk=application.pk).handler_id == handler_before
    assert "所选承办人不是本机关的工作人员" in response.content.decode()


def test_deeply_nested_report_json_is_refused(world, login):
    client = login(world.supervisor)
    nested = ("[" * 100_000 + "]" * 100_000).encode()
    response = client.post(reverse("reports_external:upload", args=[world.county_gov.code]),
                           {"file": SimpleUploadedFile("r.json", b'{"a": ' + nested + b"}")})
    assert response.status_code == 400 and "嵌套" in response.content.decode()


def test_received_on_before_the_regulation_is_refused(world, login):
    client = login(world.drafter_a)
    data = {**applicant(), "channel": "in_person", "received_on": "0001-01-01"}
    response = client.post(reverse("applications_staff:register", args=[world.agency_a.code]), data)
    assert response.status_code == 200 and Application.objects.count() == 0
    assert "2008年5月1日" in response.content.decode()


def test_register_service_refuses_ancient_received_on(world):
    from gongkai.errors import ServiceError

    with pytest.raises(ServiceError) as refused:
        register(world, received_on=dt.date(1, 1, 1))
    assert refused.value.code == "RECEIVED_ON_INVALID"
