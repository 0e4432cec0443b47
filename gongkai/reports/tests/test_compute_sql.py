"""Tables 二–四 aggregated in the database equal the case-by-case tallies, on every year boundary.

tally_requests / tally_appeals are the readable statement of the counting conventions; the report
is built by GROUP BY queries instead (compute.requests_table, appeals_table), because a city has
millions of applications. These tests hold the two together on records crafted to sit on every
edge: received or closed on 12-31 and 01-01, open cases, transfers, every reply type and
applicant type. The grid is written straight into the table (services cannot back-date a
closure, and the grid has hundreds of cases); the services-made story of test_compute is
compared too.
"""

import datetime as dt
import itertools
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.applications import intake
from gongkai.applications.models import Appeal, Application
from gongkai.applications.replies import ApplicantType, ReplyType
from gongkai.errors import ServiceError
from gongkai.orgs import services
from gongkai.reports.computation import compute, format2019
from gongkai.reports.computation.compute import (
    AppealCase,
    Case,
    Coverage,
    build_report,
    tally_appeals,
    tally_requests,
)
from gongkai.reports.tests.conftest import import_items, item_row
from gongkai.reports.tests.test_compute import year_2025  # noqa: F401  (the services-made story)

D = dt.date
YEARS = (2024, 2025, 2026)
RECEIVED = (D(2024, 6, 1), D(2024, 12, 31), D(2025, 1, 1), D(2025, 7, 1), D(2025, 12, 31), D(2026, 1, 1))
CLOSED = (None, D(2024, 12, 31), D(2025, 1, 1), D(2025, 7, 2), D(2025, 12, 31), D(2026, 1, 1), D(2026, 3, 1))


def application(agency, serial: int, *, applicant_type="natural", received_on, closed_on=None, reply_type="",
                status=None) -> Application:
    return Application(
        agency=agency, tracking_code=f"GRID{agency.pk}X{serial:05d}", secret_hash="-", channel="in_person",
        applicant_type=applicant_type, applicant_name="张晓明", id_type="resident_id", id_number="-", phone="-",
        description="请公开相关文件。", provision_form="email", received_on=received_on, closed_on=closed_on,
        replied_on=closed_on, reply_type=reply_type,
        status=status or ("received" if closed_on is None else "closed"),
    )


def grid(agency, *, offset=0) -> list[Application]:
    """Every (received, closed) pair on the edges, each reply type and applicant type in turn."""
    reply_types, applicant_types = itertools.cycle(ReplyType.values), itertools.cycle(ApplicantType.values)
    rows = []
    for received, closed in itertools.product(RECEIVED, CLOSED):
        if closed is not None and closed < received:
            continue
        for _ in range(len(ReplyType.values)):
            reply_type = next(reply_types)
            rows.append(application(agency, offset + len(rows), applicant_type=next(applicant_types),
                                    received_on=received, closed_on=closed, reply_type=reply_type))
        # Decided (reply type recorded) but the 答复书 not yet issued, and not even decided: both open.
        rows.append(application(agency, offset + len(rows), received_on=received, reply_type=ReplyType.PARTIAL))
        rows.append(application(agency, offset + len(rows), applicant_type="commercial", received_on=received))
    return Application.objects.bulk_create(rows)


def reference(agencies, year: int) -> dict:
    """tally_requests over every row of these agencies, read one by one."""
    rows = Application.objects.filter(agency__in=agencies).values_list(
        "applicant_type", "received_on", "closed_on", "reply_type", "tracking_code")
    return tally_requests([Case(*row) for row in rows], year)


@pytest.fixture
def records(world):
    """The grid in A and B, a transfer from A to B, and an agency outside the county."""
    w = world
    w.elsewhere = services.agency_create(actor=None, name="另一县人民政府", code="OTHERGOV01", kind="government",
                                         area=w.county)
    grid(w.agency_a)
    grid(w.agency_b, offset=10_000)
    grid(w.elsewhere, offset=20_000)
    received = application(w.agency_a, 30_000, applicant_type="research", received_on=D(2025, 12, 30))
    received.save()
    moved = intake.transfer(actor=w.drafter_a, application=received, to_agency=w.agency_b)
    # Transferred on 12-31 (closed in A as 不掌握), the new case in B received on 12-31 and still open.
    Application.objects.filter(pk=received.pk).update(closed_on=D(2025, 12, 31), replied_on=D(2025, 12, 31))
    Application.objects.filter(pk=moved.pk).update(received_on=D(2025, 12, 31))
    return w


@pytest.mark.parametrize("year", YEARS)
def test_one_agency_in_sql_equals_the_case_by_case_tally(records, year):
    for agency in (records.agency_a, records.agency_b, records.county_gov):
        assert compute.requests_table(Coverage(agency), year) == reference([agency], year), (agency.name, year)


@pytest.mark.parametrize("year", YEARS)
def test_a_roll_up_in_sql_equals_the_tally_over_the_agency_and_everything_below_it(records, year):
    w = records
    table = compute.requests_table(Coverage(w.county_gov, include_subordinates=True), year)
    assert table == reference([w.county_gov, w.agency_a, w.agency_b], year)
    assert table != reference([w.county_gov, w.agency_a, w.agency_b, w.elsewhere], year)


def test_the_grid_lands_on_both_sides_of_every_boundary(records):
    """Guard on the fixture itself: each edge row of 2025 is non-empty, so equality above means something."""
    table = compute.requests_table(Coverage(records.agency_a), 2025)
    for row in ("new", "carried_over", "total_processed", "carried_forward"):
        assert table[row]["total"] > 0, row
    for reply_type in ReplyType.values:
        assert table[compute.outcome_key(reply_type)]["total"] > 0, reply_type
    assert {column for column, value in table["new"].items() if value} == {*compute.COLUMN_BY_APPLICANT_TYPE.values(),
                                                                         "total"}
    # The transfer of 12-31: closed in A (不掌握), a new case received in B that day and still open.
    moved = Application.objects.get(transferred_from__isnull=False)
    original = moved.transferred_from
    assert (original.agency, original.status, original.reply_type, original.closed_on) == (
        records.agency_a, "transferred", ReplyType.UNAVAILABLE_NOT_RESPONSIBLE, D(2025, 12, 31))
    assert (moved.agency, moved.received_on, moved.closed_on) == (records.agency_b, D(2025, 12, 31), None)


@pytest.mark.parametrize("year", YEARS)
def test_the_services_made_story_in_sql_equals_the_tally(year_2025, year):  # noqa: F811
    w = year_2025
    for agency in (w.agency_a, w.agency_b):
        assert compute.requests_table(Coverage(agency), year) == reference([agency], year)
    rolled = compute.requests_table(Coverage(w.county_gov, include_subordinates=True), year)
    assert rolled == reference([w.county_gov, w.agency_a, w.agency_b], year)
    appeals = Appeal.objects.filter(application__agency=w.agency_a).values_list("kind", "outcome", "filed_on", "decided_on")
    assert compute.appeals_table(Coverage(w.agency_a), year) == tally_appeals([AppealCase(*a) for a in appeals], year)


# --- a closed case without a reply type ----------------------------------------------------------

@pytest.mark.parametrize(("closed_on", "stops"), [
    (D(2025, 1, 1), True), (D(2025, 12, 31), True), (D(2024, 12, 31), False), (D(2026, 1, 1), False), (None, False)])
def test_a_closed_case_without_a_reply_type_stops_the_sql_build_as_it_stops_the_tally(world, closed_on, stops):
    Application.objects.bulk_create([
        application(world.agency_a, 1, received_on=D(2024, 12, 1), closed_on=closed_on),
        application(world.agency_a, 2, received_on=D(2025, 2, 1), closed_on=D(2025, 3, 1),
                    reply_type=ReplyType.PARTIAL),
    ])
    try:
        expected = reference([world.agency_a], 2025)
    except ServiceError as error:
        expected = error
    for coverage in (Coverage(world.agency_a), Coverage(world.county_gov, include_subordinates=True)):
        if not stops:
            assert compute.requests_table(coverage, 2025) == expected
            continue
        with pytest.raises(ServiceError) as caught:
            compute.requests_table(coverage, 2025)
        assert (caught.value.code, caught.value.message) == (expected.code, expected.message)
        assert f"GRID{world.agency_a.pk}X00001" in caught.value.message


def test_the_case_named_is_the_latest_received_without_a_reply_type(world):
    Application.objects.bulk_create([
        application(world.agency_a, n, received_on=received, closed_on=D(2025, 6, 1))
        for n, received in enumerate((D(2025, 3, 1), D(2025, 5, 1), D(2025, 4, 1)))])
    with pytest.raises(ServiceError, match=f"GRID{world.agency_a.pk}X00001"):
        build_report(world.agency_a, 2025)


# --- table 四 --------------------------------------------------------------------------------------

FILED = (D(2024, 12, 31), D(2025, 1, 1), D(2025, 6, 1), D(2025, 12, 31), D(2026, 1, 1))
DECIDED = (None, D(2025, 12, 31), D(2026, 1, 1))


@pytest.mark.parametrize("year", YEARS)
def test_appeals_in_sql_equal_the_case_by_case_tally(world, year):
    w = world
    cases = Application.objects.bulk_create([
        application(agency, n, received_on=D(2024, 1, 1), closed_on=D(2024, 2, 1), reply_type=ReplyType.PARTIAL)
        for n, agency in enumerate((w.agency_a, w.agency_b, w.county_gov))])
    appeals = [
        Appeal(application=case, kind=kind, body="测试县人民政府", filed_on=filed, outcome=outcome,
               decided_on=None if outcome == "pending" else decided)
        for case in cases
        for kind, outcome, filed, decided in itertools.product(Appeal.Kind.values, Appeal.Outcome.values, FILED, DECIDED)
        if decided is None or decided >= filed
    ]
    Appeal.objects.bulk_create(appeals)
    for coverage, covered in ((Coverage(w.agency_a), cases[:1]),
                              (Coverage(w.county_gov, include_subordinates=True), cases)):
        expected = tally_appeals([AppealCase(a.kind, a.outcome, a.filed_on, a.decided_on) for a in appeals
                                  if a.application in covered], year)
        assert compute.appeals_table(coverage, year) == expected


# --- table 二 --------------------------------------------------------------------------------------

def test_documents_on_the_year_edges_and_in_a_child_node(world, tmp_path):
    from gongkai.disclosure.models import CatalogueNode

    a = world.agency_a
    import_items(tmp_path, [item_row(a, "占位", catalogue="qt", published_on="2020-01-01")])  # creates the catalogue
    parent = CatalogueNode.objects.get(agency=a, code="xzgfxwj")
    CatalogueNode.objects.create(agency=a, parent=parent, code="xzgfxwj-jy", name="教育类规范性文件")
    import_items(tmp_path, [
        item_row(a, "12-31发布", catalogue="xzgfxwj", published_on="2025-12-31"),
        item_row(a, "次年01-01发布", catalogue="xzgfxwj", published_on="2026-01-01"),
        item_row(a, "01-01发布", catalogue="xzgfxwj-jy", published_on="2025-01-01"),  # in a child of 规范性文件
        item_row(a, "12-31废止", catalogue="gz", published_on="2020-01-01", validity="repealed", changed_on="2025-12-31"),
        item_row(a, "次年01-01废止", catalogue="gz", published_on="2020-01-01", validity="repealed",
                 changed_on="2026-01-01"),
        item_row(a, "12-31失效", catalogue="gz", published_on="2020-01-01", validity="expired", changed_on="2025-12-31"),
        item_row(world.agency_b, "教育局规章", catalogue="gz", published_on="2025-05-05"),
    ])
    table = compute.active_table(Coverage(a), 2025)
    assert table["normative_documents"] == {"issued": 2, "repealed": 0, "in_force": 2}
    assert table["regulations"] == {"issued": 0, "repealed": 1, "in_force": 1}
    rolled = compute.active_table(Coverage(world.county_gov, include_subordinates=True), 2025)
    assert rolled["regulations"] == {"issued": 1, "repealed": 1, "in_force": 2}
    assert rolled["licensing"] == {"decisions": None}
    # The 2019 format counts the same documents, selected by the same Coverage, in one query.
    with CaptureQueriesContext(connection) as queries:
        table_2019 = format2019.active_table(Coverage(a), 2025)
    assert len(queries.captured_queries) == 1
    assert table_2019["normative_documents"] == {"made": 2, "published": 2, "published_total": 2}
    assert table_2019["regulations"] == {"made": 0, "published": 0, "published_total": 3}
    rolled_2019 = format2019.active_table(Coverage(world.county_gov, include_subordinates=True), 2025)
    assert rolled_2019["regulations"] == {"made": 1, "published": 1, "published_total": 4}
    assert rolled_2019["fees"] == {"previous_items": None, "change": None}


# --- the queries themselves ----------------------------------------------------------------------

def test_a_roll_up_is_four_queries_that_select_agencies_by_path_not_by_a_list_of_ids(records):
    with CaptureQueriesContext(connection) as queries:
        report = build_report(records.county_gov, 2025, include_subordinates=True)
    assert len(queries.captured_queries) == 4, [q["sql"] for q in queries.captured_queries]
    for query in queries.captured_queries:
        assert "LIKE" in query["sql"] and not re.search(r"IN \(\d+, ", query["sql"]), query["sql"]
    assert [a["code"] for a in report["included_agencies"]] == ["TESTGOV01", "TESTEDU01", "TESTFIN01"]
