"""Tables 二–四 from the records: hand-computed values, carry-over across years, roll-ups."""

import datetime as dt
import random

import pytest

from gongkai.applications import appeals, intake
from gongkai.applications.models import Appeal, Application
from gongkai.applications.replies import REPORT_ROWS, ApplicantType, ReplyType
from gongkai.errors import ServiceError
from gongkai.reports.computation import compute, schema
from gongkai.reports.computation.compute import AppealCase, Case, build_report, tally_appeals, tally_requests
from gongkai.reports.computation.validate import validate
from gongkai.reports.tests.conftest import abandon, close_with, import_items, item_row, register

D = dt.date


# --- mappings ------------------------------------------------------------------------------------

def test_every_report_row_code_maps_to_the_spec_key_in_the_same_order():
    assert [compute.JSON_KEY_BY_ROW_CODE[code] for code, _ in REPORT_ROWS] == list(schema.REQUEST_ROWS["2021"])


@pytest.mark.parametrize("reply_type", list(ReplyType))
def test_every_reply_type_lands_in_an_outcome_row_of_the_format(reply_type):
    assert compute.outcome_key(reply_type) in schema.OUTCOME_ROWS["2021"]


def test_every_applicant_type_has_its_column():
    assert set(compute.COLUMN_BY_APPLICANT_TYPE) == set(ApplicantType)
    assert set(compute.COLUMN_BY_APPLICANT_TYPE.values()) == set(schema.APPLICANT_COLUMNS)
    assert compute.COLUMN_BY_APPLICANT_TYPE[ApplicantType.PUBLIC_INTEREST] == "social_welfare"


def test_the_counting_conventions_are_the_documented_ones():
    # Changing either is a decision about the law (spec regulation.md §1.3 UNCONFIRMED), not a refactor.
    assert compute.OUTCOME_YEAR_CONVENTION == "closing_year"
    assert compute.APPEAL_YEAR_CONVENTION == "filing_year"


# --- pure tallies --------------------------------------------------------------------------------

def test_a_case_received_in_december_and_closed_in_january_is_carried_across():
    case = Case("natural", D(2025, 12, 20), D(2026, 1, 8), ReplyType.PUBLIC_PROVIDED)
    y2025, y2026 = tally_requests([case], 2025), tally_requests([case], 2026)
    assert y2025["new"]["natural"] == 1 and y2025["carried_forward"]["natural"] == 1
    assert y2025["total_processed"]["total"] == 0
    assert y2026["carried_over"]["natural"] == 1 and y2026["granted"]["natural"] == 1
    assert y2026["new"]["total"] == 0 and y2026["carried_forward"]["total"] == 0


def test_a_case_closed_on_new_years_eve_is_done_and_on_new_years_day_is_carried():
    eve = Case("commercial", D(2025, 3, 1), D(2025, 12, 31), ReplyType.PARTIAL)
    new_year = Case("commercial", D(2025, 3, 1), D(2026, 1, 1), ReplyType.PARTIAL)
    assert tally_requests([eve], 2025)["partial"]["commercial"] == 1
    assert tally_requests([new_year], 2025)["carried_forward"]["commercial"] == 1
    assert tally_requests([eve], 2026)["carried_over"]["total"] == 0


def test_a_closed_case_without_a_reply_type_stops_the_build_instead_of_guessing_a_row():
    with pytest.raises(ServiceError) as caught:
        tally_requests([Case("natural", D(2025, 3, 1), D(2025, 4, 1), "", "ABC234")], 2025)
    assert caught.value.code == "REPORT_REPLY_TYPE_MISSING" and "ABC234" in caught.value.message


def test_random_records_always_give_tables_that_keep_r1_to_r4_and_r6():
    rng = random.Random(20250131)
    reply_types, applicant_types = list(ReplyType), list(ApplicantType)
    cases, appeal_cases = [], []
    for _ in range(400):
        received = D(2023, 1, 1) + dt.timedelta(days=rng.randrange(3 * 365))
        closed = None if rng.random() < 0.2 else received + dt.timedelta(days=rng.randrange(90))
        cases.append(Case(rng.choice(applicant_types), received, closed, rng.choice(reply_types)))
        filed = received + dt.timedelta(days=rng.randrange(200))
        decided = None if rng.random() < 0.3 else filed + dt.timedelta(days=rng.randrange(200))
        outcome = "pending" if decided is None else rng.choice(["upheld", "corrected", "other"])
        appeal_cases.append(AppealCase(rng.choice(list(schema.REVIEW_GROUPS)), outcome, filed, decided))
    previous = None
    for year in (2023, 2024, 2025):
        report = {"agency": "随机", "year": year, "format": "2021", "requests": tally_requests(cases, year),
                  "review_litigation": tally_appeals(appeal_cases, year)}
        result = validate(report, previous)
        assert result.violations == [], result.violations
        assert {e["rule"] for e in result.not_checkable} <= {"W1"}  # no table 二 in these reports
        previous = report


def test_an_appeal_counts_in_the_year_filed_and_is_pending_if_decided_later():
    appeals_ = [AppealCase("review", "upheld", D(2025, 4, 1), D(2025, 6, 1)),
                AppealCase("review", "corrected", D(2025, 11, 1), D(2026, 2, 1)),
                AppealCase("litigation_direct", "upheld", D(2024, 11, 1), D(2025, 3, 1))]
    table = tally_appeals(appeals_, 2025)
    assert table["review"] == {"upheld": 1, "corrected": 0, "other": 0, "pending": 1, "total": 2}
    assert table["litigation_direct"]["total"] == 0  # counted in 2024, as pending
    assert tally_appeals(appeals_, 2024)["litigation_direct"] == {"upheld": 0, "corrected": 0, "other": 0,
                                                                  "pending": 1, "total": 1}


# --- from the records ----------------------------------------------------------------------------

COMMERCIAL = {"applicant_type": "commercial", "applicant_name": "清河县某建筑有限公司", "id_type": "uscc",
              "id_number": "91320102MA1X2Y3Z4W"}


@pytest.fixture
def year_2025(world, tmp_path):
    """One agency's 2024–2026 as staff would have recorded it (see the expected tables below)."""
    w = world
    a1 = register(w, received_on=D(2025, 3, 10))
    close_with(w, a1, ReplyType.PUBLIC_PROVIDED, closed_on=D(2025, 3, 20))
    a2 = register(w, received_on=D(2025, 5, 6), **COMMERCIAL)
    close_with(w, a2, ReplyType.WITHHELD_INTERNAL, reason_code="X16-1", reason="属于内部人事管理信息。",
               closed_on=D(2025, 5, 20))
    a3 = register(w, received_on=D(2025, 6, 1), applicant_type="research", applicant_name="某大学法学院")
    moved = intake.transfer(actor=w.drafter_a, application=a3, to_agency=w.agency_b)
    # The transfer happens "today"; date it, and the case it opened in agency B, to 2025-06-05.
    Application.objects.filter(pk=a3.pk).update(closed_on=D(2025, 6, 5), replied_on=D(2025, 6, 5))
    Application.objects.filter(pk=moved.pk).update(received_on=D(2025, 6, 5))
    a4 = register(w, received_on=D(2024, 11, 20))
    abandon(w, a4, closed_on=D(2025, 1, 15))
    a5 = register(w, received_on=D(2025, 12, 20), applicant_type="legal_service", applicant_name="某律师事务所")
    a6 = register(w, received_on=D(2024, 6, 1), applicant_type="other", applicant_name="某村民委员会")
    abandon(w, a6, closed_on=D(2024, 7, 1))
    a7 = register(w, received_on=D(2025, 9, 1), applicant_type="public_interest", applicant_name="某公益基金会")
    # Decided but the 答复书 not yet issued: still open.
    from gongkai.applications import handling

    handling.decide_reply(actor=w.drafter_a, application=a7, reply_type=ReplyType.PUBLIC_ALREADY)
    register(w, received_on=D(2026, 2, 1))
    close_with(w, a5, ReplyType.NOT_PROCESSED_REPEAT, reason="已于2025年答复过相同申请。", closed_on=D(2026, 1, 8))

    def appeal(application, kind, filed_on, outcome=None, decided_on=None):
        record = appeals.appeal_add(actor=w.drafter_a, application=application, kind=kind, body="测试县人民政府",
                                    filed_on=filed_on)
        if outcome:
            appeals.appeal_decide(actor=w.drafter_a, appeal=record, outcome=outcome, decided_on=decided_on)

    appeal(a1, "review", D(2025, 4, 1), "upheld", D(2025, 6, 1))
    appeal(a2, "review", D(2025, 11, 1), "corrected", D(2026, 2, 1))
    appeal(a2, "litigation_direct", D(2025, 7, 1))
    appeal(a1, "litigation_after_review", D(2025, 8, 1), "other", D(2025, 10, 1))
    appeal(a4, "litigation_after_review", D(2024, 12, 15), "other", D(2025, 3, 1))

    a = w.agency_a
    import_items(tmp_path, [
        item_row(a, "规章甲", catalogue="gz", published_on="2024-05-01"),
        item_row(a, "规章乙", catalogue="gz", published_on="2025-03-01"),
        item_row(a, "规范性文件一", catalogue="xzgfxwj", published_on="2023-01-01", validity="repealed",
                 changed_on="2025-06-30"),
        item_row(a, "规范性文件二", catalogue="xzgfxwj", published_on="2025-02-01"),
        item_row(a, "规范性文件三", catalogue="xzgfxwj", published_on="2025-04-01", validity="repealed",
                 changed_on="2026-03-01"),
        item_row(a, "规范性文件四", catalogue="xzgfxwj", published_on="2024-01-01", validity="expired",
                 changed_on="2025-08-01"),
        item_row(a, "依申请公开的规章", catalogue="gz", published_on="2025-05-01", disclosure="on_request"),
        item_row(a, "预算说明", catalogue="yjs", published_on="2025-05-01"),
        item_row(w.agency_b, "教育局规范性文件", catalogue="xzgfxwj", published_on="2025-07-01"),
    ])
    return w


def cells(row: dict) -> dict:
    """The non-zero cells of a table-三 row, for readable expectations."""
    return {column: value for column, value in row.items() if value}


def test_tables_of_2025_equal_the_hand_computed_ones(year_2025):
    report = build_report(year_2025.agency_a, 2025)
    assert (report["agency"], report["year"], report["format"]) == ("测试县财政局", 2025, "2021")
    assert report["active"] == {
        "regulations": {"issued": 1, "repealed": 0, "in_force": 2},
        # 一 repealed in 2025; 三 repealed only in 2026, so still in force at 2025-12-31; 四 expired (失效).
        "normative_documents": {"issued": 2, "repealed": 1, "in_force": 2},
        "licensing": {"decisions": None}, "punishment": {"decisions": None}, "coercion": {"decisions": None},
        "fees": {"amount_10k_yuan": None},
    }
    requests = report["requests"]
    assert list(requests) == list(schema.REQUEST_ROWS["2021"])
    nonzero = {row: cells(values) for row, values in requests.items() if values["total"]}
    assert nonzero == {
        "new": {"natural": 1, "commercial": 1, "research": 1, "social_welfare": 1, "legal_service": 1, "total": 5},
        "carried_over": {"natural": 1, "total": 1},  # a4, received 2024-11, abandoned 2025-01
        "granted": {"natural": 1, "total": 1},
        "denied_internal_affairs": {"commercial": 1, "total": 1},
        "unable_not_held": {"research": 1, "total": 1},  # the transfer, in the transferring agency
        "other_no_correction": {"natural": 1, "total": 1},
        "total_processed": {"natural": 2, "commercial": 1, "research": 1, "total": 4},
        "carried_forward": {"social_welfare": 1, "legal_service": 1, "total": 2},  # a7 drafted only; a5 closed 2026
    }
    assert report["review_litigation"] == {
        "review": {"upheld": 1, "corrected": 0, "other": 0, "pending": 1, "total": 2},
        "litigation_direct": {"upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1},
        "litigation_after_review": {"upheld": 0, "corrected": 0, "other": 1, "pending": 0, "total": 1},
    }
    assert report["notes"] and "须由工作人员填报" in report["notes"][0]
    result = validate(report)
    assert result.violations == [] and result.not_checkable == [] and result.warnings == []


def test_the_december_case_closed_in_january_is_carried_from_2025_into_2026(year_2025):
    y2025 = build_report(year_2025.agency_a, 2025)
    y2026 = build_report(year_2025.agency_a, 2026)
    assert cells(y2026["requests"]["carried_over"]) == {"social_welfare": 1, "legal_service": 1, "total": 2}
    assert cells(y2026["requests"]["not_processed_repeat"]) == {"legal_service": 1, "total": 1}
    assert cells(y2026["requests"]["new"]) == {"natural": 1, "total": 1}
    assert cells(y2026["requests"]["carried_forward"]) == {"natural": 1, "social_welfare": 1, "total": 2}
    result = validate(y2026, y2025)
    assert result.as_dict() == {"ok": True, "violations": [], "not_checkable": [], "warnings": []}


def test_an_expired_document_leaves_in_force_without_being_repealed_so_w1_warns(year_2025):
    y2024 = build_report(year_2025.agency_a, 2024)
    y2025 = build_report(year_2025.agency_a, 2025)
    assert y2024["active"]["normative_documents"] == {"issued": 1, "repealed": 0, "in_force": 2}
    result = validate(y2025, y2024)
    assert result.ok
    assert [(w["rule"], w["row"], w["expected"], w["actual"]) for w in result.warnings] == [
        ("W1", "normative_documents", 3, 2)]


def test_a_roll_up_sums_the_agency_and_everything_below_it(year_2025):
    w = year_2025
    rolled = build_report(w.county_gov, 2025, include_subordinates=True)
    # Tree order: the two departments are siblings with the same 排序, so by code (EDU before FIN).
    assert [a["code"] for a in rolled["included_agencies"]] == [w.county_gov.code, w.agency_b.code, w.agency_a.code]
    parts = [build_report(agency, 2025) for agency in (w.county_gov, w.agency_a, w.agency_b)]
    for section in ("active", "requests", "review_litigation"):
        for row, values in rolled[section].items():
            for column, value in values.items():
                expected = [p[section][row][column] for p in parts]
                assert value == (None if None in expected else sum(expected)), (section, row, column)
    # The transferred request: closed in A, opened (and still open) in B.
    assert cells(parts[2]["requests"]["new"]) == {"research": 1, "total": 1}
    assert rolled["active"]["normative_documents"]["issued"] == 3
    assert validate(rolled).violations == []
    alone = build_report(w.county_gov, 2025)
    assert alone["included_agencies"] == [{"code": w.county_gov.code, "name": w.county_gov.name}]
    assert alone["requests"]["new"]["total"] == 0


@pytest.mark.django_db
def test_included_agencies_are_in_tree_order_not_in_the_order_of_the_path_text(world):
    """Siblings by 排序 then code, each agency before the ones under it; the materialised path
    ("/1/10/" < "/1/9/") gave the order agencies were entered in, or worse."""
    from gongkai.orgs import services

    first = services.agency_create(actor=None, name="测试县发展和改革局", code="TESTDEV01", kind="department",
                                   area=world.county, parent=world.county_gov, sort_order=1)
    under_finance = services.agency_create(actor=None, name="测试县国库支付中心", code="TESTFIN02", kind="dispatched",
                                           area=world.county, parent=world.agency_a)
    report = build_report(world.county_gov, 2025, include_subordinates=True)
    assert [a["code"] for a in report["included_agencies"]] == [
        world.county_gov.code, first.code, world.agency_b.code, world.agency_a.code, under_finance.code]
    assert compute.agencies_covered(world.county_gov, include_subordinates=True) == [
        world.county_gov, first, world.agency_b, world.agency_a, under_finance]


def test_build_dump_load_validate_round_trip_is_lossless(year_2025):
    report = build_report(year_2025.agency_a, 2025)
    loaded = schema.loads(schema.dumps(report))
    assert loaded == report
    assert schema.unknown_keys(loaded) == []
    assert validate(loaded).as_dict() == validate(report).as_dict()


def test_an_appeal_on_another_agencys_case_is_not_counted(world):
    application = register(world, received_on=D(2025, 2, 1), agency=world.agency_b)
    appeals.appeal_add(actor=world.drafter_b, application=application, kind="review", body="测试县人民政府",
                       filed_on=D(2025, 3, 1))
    assert build_report(world.agency_a, 2025)["review_litigation"]["review"]["total"] == 0
    assert build_report(world.agency_b, 2025)["review_litigation"]["review"]["pending"] == 1
    assert Appeal.objects.count() == 1
