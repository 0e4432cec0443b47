"""The workbench's open list: open_case is computed by the database from the status, and the list
walks its index in display order instead of sorting every open case."""

import pytest
from django.db import connection

from gongkai.applications import queries
from gongkai.applications.models import OPEN_STATUSES, Application, Status
from gongkai.applications.tests.conftest import register

pytestmark = pytest.mark.django_db


def test_open_case_follows_the_status_in_both_directions(office):
    application = register(office)
    application.refresh_from_db()
    assert application.open_case == 1 and application in queries.open_cases(office.agency_a)
    for status in Status.values:
        Application.objects.filter(pk=application.pk).update(status=status)  # the database recomputes it
        application.refresh_from_db()
        assert application.open_case == (1 if status in OPEN_STATUSES else 0), status
        assert (application in queries.open_cases(office.agency_a)) == (status in OPEN_STATUSES)


def test_lists_keep_their_order_and_members(office):
    first, second, third = (register(office, applicant_name=n) for n in ("甲", "乙", "丙"))
    Application.objects.filter(pk=first.pk).update(due_on="2026-04-10")
    Application.objects.filter(pk=second.pk).update(due_on="2026-04-01", supervised=True)
    Application.objects.filter(pk=third.pk).update(due_on="2026-04-05", status=Status.CONSULTING)
    ordered = list(queries.open_cases(office.agency_a).order_by(*queries.WORKBENCH_ORDER))
    assert ordered == [second, third, first]  # 督办 first, then by due date
    assert list(queries.waiting_for_third_party(office.agency_a)) == [third]
    Application.objects.filter(pk=third.pk).update(status=Status.CLOSED)
    assert list(queries.waiting_for_third_party(office.agency_a)) == []
    assert third not in queries.open_cases(office.agency_a)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL chooses its plan by cost; SQLite's is fixed")
def test_the_open_list_is_read_in_index_order(office):
    rows = queries.open_cases(office.agency_a).order_by(*queries.WORKBENCH_ORDER)[:30]
    plan = rows.explain()
    assert "application_open_list" in plan and "TEMP B-TREE" not in plan


def test_cases_without_a_due_date_come_after_the_dated_ones_on_every_database(office):
    paused, dated, supervised_paused = (register(office, applicant_name=n) for n in ("停", "期", "督"))
    Application.objects.filter(pk=paused.pk).update(due_on=None, status=Status.AWAITING_CORRECTION)
    Application.objects.filter(pk=dated.pk).update(due_on="2026-04-10")
    Application.objects.filter(pk=supervised_paused.pk).update(due_on=None, supervised=True, status=Status.CONSULTING)
    ordered = list(queries.open_cases(office.agency_a).order_by(*queries.WORKBENCH_ORDER))
    assert ordered == [supervised_paused, dated, paused]
