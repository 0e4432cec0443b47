"""Audit rows as a clerk reads them: Chinese names, readable values, the page filtered and bounded."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai.audit.display import Reader, object_type_label
from gongkai.audit.models import AuditEntry
from gongkai.disclosure import services as disclosure_services
from gongkai.disclosure.catalogue import ensure_catalogue
from gongkai.disclosure.models import Genre
from gongkai.disclosure.tests.conftest import item_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(world):
    ensure_catalogue(world.agency_a)
    return world


@pytest.fixture
def edited(desk):
    item = disclosure_services.item_create(actor=desk.drafter_a, agency=desk.agency_a, data=item_data(desk.agency_a))
    disclosure_services.item_update(actor=desk.drafter_a, item=item, data={
        "written_on": dt.date(2026, 3, 3), "genre": Genre.objects.get(name="公告"), "disclosure": "on_request",
        "exemption_reason": "X16-2", "reassess_on": dt.date(2027, 3, 3)})
    return item


def test_an_edit_reads_with_field_names_choice_labels_and_related_names(edited):
    row = AuditEntry.objects.filter(object_type="disclosure.item", object_id=str(edited.pk)).latest("id")
    changes = {c.label: (c.before, c.after) for c in Reader().changes(row)}
    assert changes["成文日期"] == ("2026-03-02", "2026-03-03")
    assert changes["体裁"] == ("通知", "公告")
    assert changes["公开属性"] == ("主动公开", "依申请公开")
    assert changes["不公开理由"][0] == "—" and changes["不公开理由"][1].startswith("过程性信息")
    assert object_type_label("disclosure.item") == "政府信息"


def test_an_unknown_object_type_or_key_falls_back_to_its_stored_name(world):
    assert object_type_label("gone.model") == "gone.model"
    row = AuditEntry(object_type="gone.model", before={"x": 1, "y": None}, after={"x": 2, "y": False})
    assert [(c.label, c.before, c.after) for c in Reader().changes(row)] == [("x", "1", "2"), ("y", "—", "否")]


def test_the_log_filters_by_person_and_by_object(edited, desk, login):
    from gongkai.orgs import services as org_services

    org_services.role_grant(actor=desk.admin_a, user=desk.drafter_b, agency=desk.agency_a, role="leader")
    client = login(desk.admin_a)
    url = reverse("staff:audit", args=[desk.agency_a.code])
    by_drafter = client.get(url, {"actor": desk.drafter_a.pk}).context["rows"]
    assert by_drafter and {r["entry"].actor_id for r in by_drafter} == {desk.drafter_a.pk}
    one_item = client.get(url, {"type": "disclosure.item", "id": str(edited.pk)}).context["rows"]
    assert [r["entry"].action for r in one_item] == ["item_update", "create"]
    assert one_item[0]["url"] == reverse("disclosure_staff:item", args=[desk.agency_a.code, edited.pk])


def test_the_log_page_does_not_grow_a_query_per_row(edited, desk, login):
    client = login(desk.admin_a)
    url = reverse("staff:audit", args=[desk.agency_a.code])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for day in range(4, 24):
        disclosure_services.item_update(actor=desk.drafter_a, item=edited, data={"written_on": dt.date(2026, 3, day)})
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) <= len(few) + 2
