"""政民互动 indicators: messages unanswered for three months (veto), replies late, replies not published
within two months, and consultations without their 采纳情况反馈 — each over a monitoring window."""

import datetime as dt

import pytest

from gongkai.conftest import on
from gongkai.consultations import services as consultation_services
from gongkai.consultations.tests.conftest import opened
from gongkai.enquiries import services
from gongkai.enquiries.tests.conftest import ask, travel  # noqa: F401 (fixture)
from gongkai.supervision import indicators
from gongkai.workdays.calendar import WorkdayCalendar

pytestmark = [pytest.mark.django_db, on(dt.date(2026, 3, 2))]
D = dt.date


def hits(code, agency_ids, start, end):
    return indicators.INDICATORS[code].evaluate(agency_ids, start, end, WorkdayCalendar.load())


def subjects(found):
    return {(hit.subject_id, hit.occurred_on) for hit in found}


def test_a_message_waiting_more_than_three_months_is_a_veto_finding(world, travel):  # noqa: F811
    waiting, _ = ask(world.agency_a)  # received Monday 2 March 2026
    answered_late, _ = ask(world.agency_a)
    answered_in_time, _ = ask(world.agency_a)
    travel(D(2026, 5, 29))
    services.answer(actor=world.drafter_a, enquiry=answered_in_time, text="已答复。")
    travel(D(2026, 6, 10))
    services.answer(actor=world.drafter_a, enquiry=answered_late, text="迟到三个多月的答复。")
    agencies = [world.agency_a.pk]
    # On 2 June (exactly three months) nothing is over the line yet.
    assert hits("enquiry_unanswered_long", agencies, D(2026, 1, 1), D(2026, 6, 2)) == []
    found = hits("enquiry_unanswered_long", agencies, D(2026, 1, 1), D(2026, 12, 31))
    assert subjects(found) == {(str(waiting.pk), D(2026, 6, 2)), (str(answered_late.pk), D(2026, 6, 2))}
    assert {hit.detail for hit in found} == {"2026年3月2日受理，至2026年12月31日超过3个月未答复",
                                             "2026年3月2日受理，2026年6月10日才答复（超过3个月）"}
    # A window that starts after the late reply no longer sees it; the open message still counts.
    assert subjects(hits("enquiry_unanswered_long", agencies, D(2026, 7, 1), D(2026, 12, 31))) == {
        (str(waiting.pk), D(2026, 6, 2))}
    assert indicators.VETO_LINES["enquiry_unanswered_long"] == 1
    assert "留言超过3个月未答复 1 个，达到单项否决线 1 个" in indicators.veto_notes({"enquiry_unanswered_long": 1})


def test_a_refusal_with_a_reason_is_a_reply(world, travel):  # noqa: F811
    refused, _ = ask(world.agency_a)
    services.refuse(actor=world.drafter_a, enquiry=refused, reason="duplicate")
    assert hits("enquiry_unanswered_long", [world.agency_a.pk], D(2026, 1, 1), D(2026, 12, 31)) == []


def test_replies_after_the_working_day_limit(world, travel):  # noqa: F811
    late, _ = ask(world.agency_a)  # a 咨询 received Monday 2 March: due Monday 9 March (5 working days)
    on_time, _ = ask(world.agency_a)
    still_open, _ = ask(world.agency_a)
    other_agency, _ = ask(world.agency_b)
    travel(D(2026, 3, 9))
    services.answer(actor=world.drafter_a, enquiry=on_time, text="按时答复。")
    travel(D(2026, 3, 10))
    services.answer(actor=world.drafter_a, enquiry=late, text="晚一天的答复。")
    found = hits("enquiry_reply_late", [world.agency_a.pk], D(2026, 3, 1), D(2026, 3, 31))
    assert subjects(found) == {(str(late.pk), D(2026, 3, 9)), (str(still_open.pk), D(2026, 3, 9))}
    details = sorted(hit.detail for hit in found)
    assert details == ["咨询类留言应在5个工作日内（2026年3月9日前）答复，2026年3月10日才答复",
                       "咨询类留言答复期限为2026年3月9日，至2026年3月31日仍未答复"]
    # On its last day a message is not late.
    assert subjects(hits("enquiry_reply_late", [world.agency_a.pk], D(2026, 3, 1), D(2026, 3, 9))) == set()
    assert str(other_agency.pk) not in {hit.subject_id for hit in found}


def test_replies_not_published_within_two_months(world, travel):  # noqa: F811
    unpublished, _ = ask(world.agency_a)  # received 2 March: its reply should be public by 2 May
    private, _ = ask(world.agency_a, allow_publish=False)
    published, _ = ask(world.agency_a)
    travel(D(2026, 3, 5))
    services.answer(actor=world.drafter_a, enquiry=published, text="已答复并公开。")
    services.answer(actor=world.drafter_a, enquiry=private, text="仅答复本人。")
    found = hits("enquiry_answer_unpublished", [world.agency_a.pk], D(2026, 1, 1), D(2026, 6, 30))
    assert subjects(found) == {(str(unpublished.pk), D(2026, 5, 2))}
    assert found[0].detail == "2026年3月2日受理，至2026年6月30日未公开答复（应在2个月内公开）"
    # A window that ends before the two months are up has nothing to say yet.
    assert hits("enquiry_answer_unpublished", [world.agency_a.pk], D(2026, 1, 1), D(2026, 4, 30)) == []


def test_consultation_feedback_overdue_in_the_window(world, travel):  # noqa: F811
    consultation = opened(world)  # 2–31 March 2026; feedback due 22 April (15 working days, 清明 off)
    agencies = [world.agency_a.pk]
    assert hits("consultation_feedback_overdue", agencies, D(2026, 4, 1), D(2026, 4, 22)) == []
    found = hits("consultation_feedback_overdue", agencies, D(2026, 4, 1), D(2026, 4, 30))
    assert subjects(found) == {(str(consultation.pk), D(2026, 4, 22))}
    assert found[0].detail == "征求意见于2026年3月31日结束，采纳情况应在2026年4月22日前公布，至2026年4月30日仍未公布"
    travel(D(2026, 4, 27))
    consultation_services.feedback_publish(actor=world.drafter_a, consultation=consultation, summary="未收到意见。",
                                           dispositions={})
    assert hits("consultation_feedback_overdue", agencies, D(2026, 4, 1), D(2026, 4, 30)) == []
