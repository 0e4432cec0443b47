"""The workbench's open list: open_case is computed by the database from the status, and the list
walks its index in display order instead of sorting every open case."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.applications import queries
from gongkai.applications.models import OPEN_STATUSES, Application, Status
from gongkai.applications.tests.conftest import register, varied_cases
from gongkai.workdays.calendar import WorkdayCalendar

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


def test_list_counts_count_exactly_what_each_list_shows(office):
    varied_cases(office)
    elsewhere = register(office, applicant_name="另一机关")
    Application.objects.filter(pk=elsewhere.pk).update(agency=office.agency_b)  # counts nowhere in A
    today, calendar = dt.date(2026, 4, 8), WorkdayCalendar.load()
    counts = queries.list_counts(office.agency_a, today=today, calendar=calendar)
    shown = {
        "open": queries.open_cases(office.agency_a).count(),
        "due_soon": queries.due_soon(office.agency_a, today=today, calendar=calendar).count(),
        "overdue": queries.overdue(office.agency_a, today=today).count(),
        "applicant": queries.waiting_for_applicant(office.agency_a).count(),
        "third_party": queries.waiting_for_third_party(office.agency_a).count(),
    }
    assert counts == shown
    # And the figures themselves, worked out by hand from varied_cases:
    assert counts == {"open": 8, "due_soon": 2, "overdue": 1, "applicant": 2, "third_party": 2}
    closed = queries.closed_count(office.agency_a, open_count=counts["open"])
    assert closed == queries.for_agency(office.agency_a).filter(open_case=0).count() == 1


def test_the_open_list_index_holds_every_column_the_counts_read(office):
    """Then the counts need no table rows: SQLite reads the columns from the index entries (its
    deferred seek; EXPLAIN QUERY PLAN does not call an index with expressions "covering")."""
    with CaptureQueriesContext(connection) as captured:
        queries.list_counts(office.agency_a, today=dt.date(2026, 4, 8), calendar=WorkdayCalendar.load())
    (query,) = [q["sql"] for q in captured.captured_queries if "COUNT" in q["sql"]]
    read = set(re.findall(r'"applications_application"\."(\w+)"', query)) - {"id"}
    (index,) = [i for i in Application._meta.indexes if i.name == "application_open_list"]
    indexed = {Application._meta.get_field(e.name).column for e in index.expressions if hasattr(e, "name")}
    assert read == {"agency_id", "open_case", "due_on", "clock_state", "status"}
    assert read <= indexed
