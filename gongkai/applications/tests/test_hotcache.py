"""The per-process cache of agencies and letter templates that API submissions read (hotcache.py)."""

import json

import pytest

from gongkai.applications import hotcache
from gongkai.applications.models import Application, Letter
from gongkai.applications.tests.conftest import applicant
from gongkai.orgs.models import Agency

pytestmark = pytest.mark.django_db


def post(client, world, key):
    payload = {"agency_code": world.agency_a.code, "submission_key": key, **applicant(description=f"申请公开{key}的文件")}
    return client.post("/api/v1/applications", json.dumps(payload, ensure_ascii=False), content_type="application/json")


def test_deactivating_an_agency_through_a_save_stops_its_submissions_at_once(world, client):
    assert post(client, world, "c-1").status_code == 201  # the agency is now cached
    world.agency_a.is_active = False
    world.agency_a.save()
    refused = post(client, world, "c-2")
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "AGENCY_NOT_FOUND"
    assert Application.objects.count() == 1


def test_an_edited_office_and_template_show_on_the_next_receipt(world, client):
    from gongkai.applications.letters import template_update

    assert post(client, world, "c-3").status_code == 201
    office = world.agency_a.office
    office.phone = "0999-7654321"
    office.save()
    template_update(actor=world.admin_a, agency=world.agency_a, kind="receipt",
                    body="{{ application.name }}：根据{{ basis }}的规定，已收到。电话：{{ agency.office.phone }}")
    assert post(client, world, "c-4").status_code == 201
    latest = Letter.objects.filter(kind="receipt").latest("id")
    assert "电话：0999-7654321" in latest.body


def test_a_change_without_a_signal_waits_for_the_cache_to_expire(world, client, settings):
    """As another server process sees a change: only once its entry has expired (or is cleared)."""
    settings.GONGKAI_LOOKUP_CACHE_SECONDS = 3600
    assert post(client, world, "c-5").status_code == 201
    Agency.objects.filter(pk=world.agency_a.pk).update(is_active=False)  # no post_save: like another process
    assert post(client, world, "c-6").status_code == 201  # served from the cache
    hotcache.clear()
    assert post(client, world, "c-7").status_code == 404


def test_with_the_cache_off_every_submission_reads_the_agency(world, client, settings):
    settings.GONGKAI_LOOKUP_CACHE_SECONDS = 0
    assert post(client, world, "c-8").status_code == 201
    Agency.objects.filter(pk=world.agency_a.pk).update(is_active=False)
    assert post(client, world, "c-9").status_code == 404


def test_an_unknown_code_is_not_remembered(world, client):
    assert hotcache.get(("accepting_agency", "NOSUCH"), lambda: None) is None
    assert hotcache.get(("accepting_agency", "NOSUCH"), lambda: "found later") == "found later"
