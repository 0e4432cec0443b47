"""Section 一's draft gets a 政民互动 paragraph from the year's consultations and messages: the
figures of the two apps' own queries, wording staff may edit, and never a row of the tables."""

import copy
import datetime as dt

import pytest

from gongkai.conftest import BEIJING, on
from gongkai.consultations import services as consultation_services
from gongkai.consultations.tests.conftest import comment, opened
from gongkai.enquiries import services as enquiry_services
from gongkai.enquiries.tests.conftest import ask
from gongkai.reports.rendering.drafting import draft_text
from gongkai.reports.rendering.records import Participation, records_of
from gongkai.reports.tests.conftest import clean_report

pytestmark = [pytest.mark.django_db, on(dt.date(2026, 3, 2))]  # a Monday


def at(time_machine, day):
    time_machine.move_to(dt.datetime.combine(day, dt.time(9), tzinfo=BEIJING))


@pytest.fixture
def year_2026(world, time_machine):
    """Agency A in 2026: one consultation with two comments (one adopted), three messages (one
    answered in time, one late, one open); agency B: one message."""
    consultation = opened(world)  # 2 to 31 March
    adopted, declined = comment(consultation), comment(consultation, body="建议规划期限延长至2035年。")
    for each in (adopted, declined):
        consultation_services.comment_moderate(actor=world.drafter_a, comment=each, publish=True)
    in_time, _ = ask(world.agency_a)  # a 咨询: due Monday 9 March
    late, _ = ask(world.agency_a)
    ask(world.agency_a)
    ask(world.agency_b)
    at(time_machine, dt.date(2026, 3, 4))
    enquiry_services.answer(actor=world.drafter_a, enquiry=in_time, text="集中缴费期为每年9月1日至12月31日。")
    at(time_machine, dt.date(2026, 3, 16))
    enquiry_services.answer(actor=world.drafter_a, enquiry=late, text="迟到的答复。")
    at(time_machine, dt.date(2026, 4, 1))
    consultation_services.feedback_publish(actor=world.drafter_a, consultation=consultation, summary="采纳1条。",
                                           dispositions={adopted.pk: ("adopted", ""),
                                                         declined.pk: ("not_adopted", "规划期限由上级规划确定。")})
    return world


def report_of(agency, year):
    return {**clean_report(), "agency": agency.name, "year": year}


def test_the_years_records_give_the_participation_figures(year_2026):
    assert records_of(year_2026.agency_a, 2026).participation == Participation(
        consultations=1, comments=2, comments_adopted=1, feedback_published=1, messages=3, answered=2,
        answered_on_time=1, on_time_rate=50.0)
    assert records_of(year_2026.agency_a, 2025).participation == Participation()
    rollup = records_of(year_2026.county_gov, 2026, rollup=True).participation
    assert (rollup.consultations, rollup.messages) == (1, 4)  # the county's roll-up counts both departments


def test_section_one_draft_states_the_figures_of_a_year_with_data(year_2026):
    agency = year_2026.agency_a
    report = report_of(agency, 2026)
    tables = copy.deepcopy(report)
    text = draft_text(report, records_of(agency, 2026))["一"]
    assert ("政民互动方面，本年度测试县财政局在本平台公开征求意见1次，收到意见2条，采纳（含部分采纳）1条，"
            "已公布意见采纳情况1次；受理群众留言3件，答复2件，其中按时答复1件，按时答复率50%。") in text.splitlines()
    # Under 平台建设, with the five headings kept; the tables of the report are left as they were.
    lines = text.splitlines()
    assert lines.index("（四）平台建设") < lines.index(next(x for x in lines if x.startswith("政民互动方面")))
    assert report == tables


def test_a_year_without_any_says_so_in_one_sentence(year_2026):
    text = draft_text(report_of(year_2026.agency_a, 2025), records_of(year_2026.agency_a, 2025))["一"]
    assert "本年度测试县财政局未在本平台公开征求意见，也未收到群众留言。" in text.splitlines()
    assert "按时答复率" not in text and "政民互动方面" not in text


def test_messages_without_consultations_and_no_paragraph_without_records(year_2026):
    text = draft_text(report_of(year_2026.agency_b, 2026), records_of(year_2026.agency_b, 2026))["一"]
    assert "政民互动方面，本年度测试县教育局未在本平台公开征求意见；受理群众留言1件，答复0件。" in text.splitlines()
    # A report typed in or imported has no records: its draft says nothing about 政民互动.
    assert "政民互动" not in draft_text(report_of(year_2026.agency_a, 2026))["一"]
