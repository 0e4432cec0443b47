"""Handling: 补正, consultation, extension, fees, replies and letters, transfer, calendar edits."""

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from gongkai.applications import handling, intake
from gongkai.applications.models import Application, ClockEvent, Status
from gongkai.applications.replies import RULES, ReplyType, report_row_for
from gongkai.applications.tests.conftest import applicant, register, resident_id
from gongkai.conftest import on
from gongkai.errors import PermissionDeniedError, ServiceError

TODAY = dt.date(2026, 3, 4)  # a Wednesday after register()'s default receipt; no holiday in the next 20 working days
pytestmark = [pytest.mark.django_db, on(TODAY)]


def fresh(application):
    return Application.objects.get(pk=application.pk)


def test_correction_stops_the_clock_and_the_corrected_application_restarts_it(office):
    application = register(office, received_on=TODAY - dt.timedelta(days=3))
    letter = handling.request_correction(actor=office.drafter_a, application=application, items="请写明文件名称",
                                         deadline=TODAY + dt.timedelta(days=15))
    application = fresh(application)
    assert application.status == Status.AWAITING_CORRECTION and application.due_on is None
    assert letter.kind == "correction" and letter.issued_at is None
    with pytest.raises(ServiceError) as caught:
        handling.request_correction(actor=office.drafter_a, application=application, items="再补", deadline=TODAY + dt.timedelta(days=20))
    assert caught.value.code == "CORRECTION_ALREADY_REQUESTED"
    handling.receive_correction(application=application, text="文件名称为《清河县低保资金管理办法》")
    application = fresh(application)
    assert application.status == Status.IN_PROGRESS
    from gongkai.workdays.calendar import add_working_days

    assert application.due_on == add_working_days(TODAY, 20).due
    assert "【补正" in application.description


def test_no_correction_by_the_deadline_closes_as_abandoned(office):
    application = register(office, received_on=TODAY - dt.timedelta(days=30))
    handling.request_correction(actor=office.drafter_a, application=application, items="补充描述",
                                deadline=TODAY + dt.timedelta(days=5))
    with pytest.raises(ServiceError) as caught:
        handling.close_abandoned(actor=office.drafter_a, application=application, why="no_correction")
    assert caught.value.code == "CORRECTION_PERIOD_RUNNING"
    ClockEvent.objects.filter(application=application).update(until=TODAY - dt.timedelta(days=1))  # time passes
    handling.close_abandoned(actor=office.drafter_a, application=application, why="no_correction")
    application = fresh(application)
    assert application.status == Status.CLOSED and application.reply_type == ReplyType.OTHER_NO_CORRECTION
    assert report_row_for(application.reply_type) == "3.6.1"


def test_consultation_pauses_and_resumes(office):
    application = register(office, received_on=TODAY - dt.timedelta(days=2))
    due_before = application.due_on
    letter = handling.start_consultation(actor=office.drafter_a, application=application, party="清河县某建筑公司")
    application = fresh(application)
    assert application.status == Status.CONSULTING and application.due_on is None and letter.kind == "third_party"
    handling.end_consultation(actor=office.drafter_a, application=application, outcome="第三方不同意公开，理由为商业秘密")
    application = fresh(application)
    assert application.status == Status.IN_PROGRESS and application.due_on >= due_before


def test_extension_needs_the_office_head_and_happens_once(office):
    application = register(office, received_on=TODAY - dt.timedelta(days=1))
    with pytest.raises(PermissionDeniedError):
        handling.extend(actor=office.drafter_a, application=application, days=20, reason="需调取档案")
    with pytest.raises(ServiceError) as caught:
        handling.extend(actor=office.admin_a, application=application, days=25, reason="需调取档案")
    assert caught.value.code == "EXTENSION_DAYS_INVALID"
    before = fresh(application).due_on
    letter = handling.extend(actor=office.admin_a, application=application, days=20, reason="需调取档案")
    assert fresh(application).due_on > before and letter.kind == "extension"
    with pytest.raises(ServiceError) as caught:
        handling.extend(actor=office.admin_a, application=application, days=5, reason="再延")
    assert caught.value.code == "EXTENSION_ALREADY_USED"


def test_fees_below_the_threshold_are_not_charged_and_a_notice_pauses_the_clock(office):
    application = register(office, received_on=TODAY - dt.timedelta(days=1))
    with pytest.raises(ServiceError) as caught:
        handling.fee_notice(actor=office.drafter_a, application=application, method="per_page", quantity=30)
    assert caught.value.code == "FEE_BELOW_THRESHOLD"
    letter = handling.fee_notice(actor=office.drafter_a, application=application, method="per_page", quantity=250)
    application = fresh(application)
    assert application.fee_amount == 4700 and application.status == Status.AWAITING_FEE and letter.kind == "fee"
    handling.record_payment(actor=office.drafter_a, application=application, paid_on=TODAY)
    application = fresh(application)
    assert application.status == Status.IN_PROGRESS and application.fee_paid_on == TODAY


# --- 按件: the same applicant's applications in one natural month (109号第四条) ----------------------

MONTH_DAY = dt.date(2026, 3, 2)


def _per_item_fee(office, application) -> int:
    """The 按件 fee for one more item, 0 when it is within the free ten."""
    try:
        handling.fee_notice(actor=office.drafter_a, application=application, method="per_item", quantity=1)
    except ServiceError as error:
        assert error.code == "FEE_BELOW_THRESHOLD"
        return 0
    return fresh(application).fee_amount


def _ten_earlier(office, **person):
    for n in range(10):
        register(office, received_on=MONTH_DAY, description=f"请公开2025年第{n + 1}批低保资金发放明细。", **person)


def test_two_people_with_the_same_name_are_two_applicants(office):
    _ten_earlier(office, applicant_name="王伟", id_number=resident_id(1))
    namesake = register(office, received_on=MONTH_DAY, applicant_name="王伟", id_number=resident_id(2))
    assert _per_item_fee(office, namesake) == 0


def test_one_company_is_one_applicant_however_its_name_is_typed(office):
    company = {"applicant_type": "commercial", "id_type": "uscc", "id_number": "91320102MA1X2Y3Z4W"}
    _ten_earlier(office, applicant_name="清河县某某建筑有限公司", **company)
    eleventh = register(office, received_on=MONTH_DAY, applicant_name="清河县某某建筑 有限公司（总部）",
                        **company | {"id_number": "91320102ma1x2y3z4w "})
    assert _per_item_fee(office, eleventh) == 100


def test_by_default_only_the_charging_agencys_own_applications_count(office):
    for n in range(10):
        intake.register(actor=office.drafter_b, agency=office.agency_b, channel="in_person", received_on=TODAY,
                        data=applicant(description=f"请公开2025年教育经费第{n + 1}项支出。"), issue_receipt=False)
    first_here = register(office, received_on=TODAY)
    assert handling._items_this_month(first_here) == 0
    assert _per_item_fee(office, first_here) == 0


@override_settings(GONGKAI_FEE_MONTH_COUNT_SCOPE="platform")
def test_applications_to_other_agencies_count_in_the_month_but_a_transferred_case_only_once(office):
    for n in range(8):
        intake.register(actor=office.drafter_b, agency=office.agency_b, channel="in_person", received_on=TODAY,
                        data=applicant(description=f"请公开2025年教育经费第{n + 1}项支出。"), issue_receipt=False)
    # Transferred to B: the case closed here is left out, the new one there counts: one request, once.
    intake.transfer(actor=office.drafter_a, application=register(office, received_on=TODAY), to_agency=office.agency_b)
    tenth = register(office, received_on=TODAY)
    assert handling._items_this_month(tenth) == 9
    assert _per_item_fee(office, tenth) == 0
    eleventh = register(office, received_on=TODAY)
    assert _per_item_fee(office, eleventh) == 100


def test_applications_received_the_same_day_count_in_the_order_they_were_entered(office):
    first = register(office, received_on=MONTH_DAY)
    _ten_earlier(office)
    assert handling._items_this_month(first) == 0
    assert _per_item_fee(office, first) == 0
    assert handling._items_this_month(Application.objects.latest("pk")) == 10


def test_withheld_reply_needs_its_legal_reason(office):
    application = register(office)
    with pytest.raises(ServiceError) as caught:
        handling.decide_reply(actor=office.drafter_a, application=application, reply_type=ReplyType.WITHHELD_PROCESS,
                              reason="属于过程性信息")
    assert caught.value.code == "REPLY_REASON_CODE_REQUIRED"
    with pytest.raises(ServiceError) as caught:
        handling.decide_reply(actor=office.drafter_a, application=application, reply_type=ReplyType.WITHHELD_PROCESS,
                              reason_code="X16-2", reason="")
    assert caught.value.code == "FIELD_REQUIRED"


@pytest.mark.parametrize("reply_type", list(ReplyType))
def test_every_reply_type_produces_its_letter_and_lands_in_its_report_row(office, reply_type, run_tasks):
    rule = RULES[reply_type]
    application = register(office)
    letter = handling.decide_reply(actor=office.drafter_a, application=application, reply_type=reply_type,
                                   reason_code=rule.reason_codes[0] if rule.reason_codes else "",
                                   reason="依据有关规定作出答复" if rule.needs_reason else "")
    assert letter.kind == "reply" and application.tracking_code
    handling.issue_letter(actor=office.drafter_a, letter=letter)
    run_tasks()  # the worker renders its files
    application = fresh(application)
    assert application.status == Status.REPLIED and application.closed_on == TODAY
    assert report_row_for(application.reply_type) == rule.report_row
    letter.refresh_from_db()
    assert letter.issued_at and letter.number and letter.docx and letter.pdf


def test_issued_letters_are_immutable(office):
    application = register(office)
    letter = handling.decide_reply(actor=office.drafter_a, application=application, reply_type=ReplyType.PUBLIC_PROVIDED)
    handling.issue_letter(actor=office.drafter_a, letter=letter)
    with pytest.raises(ServiceError) as caught:
        handling.issue_letter(actor=office.drafter_a, letter=letter, body="改写")
    assert caught.value.code == "LETTER_ALREADY_ISSUED"
    letter.body = "篡改"
    with pytest.raises(RuntimeError):
        letter.save()


def test_closed_cases_take_no_more_actions(office):
    application = register(office)
    letter = handling.decide_reply(actor=office.drafter_a, application=application, reply_type=ReplyType.PUBLIC_ALREADY)
    handling.issue_letter(actor=office.drafter_a, letter=letter)
    with pytest.raises(ServiceError) as caught:
        handling.start_consultation(actor=office.drafter_a, application=application, party="x")
    assert caught.value.code == "APPLICATION_CLOSED"


def test_transfer_closes_the_original_as_not_responsible_and_opens_a_case_at_the_receiver(office):
    application = register(office)
    moved = intake.transfer(actor=office.drafter_a, application=application, to_agency=office.agency_b)
    original = fresh(application)
    assert original.status == Status.TRANSFERRED and original.reply_type == ReplyType.UNAVAILABLE_NOT_RESPONSIBLE
    assert moved.agency == office.agency_b and moved.received_on == TODAY and moved.transferred_from == original
    assert moved.due_on is not None and moved.applicant_name == original.applicant_name


def test_a_calendar_edit_recomputes_open_cases(office):
    from gongkai.workdays import services

    application = register(office, received_on=TODAY)
    before = fresh(application).due_on
    # Declare the next ten days a holiday: the due date must move.
    services.notice_create(actor=None, year=TODAY.year, title="测试调整", ranges=[services.RangeInput(
        "holiday", TODAY + dt.timedelta(days=1), TODAY + dt.timedelta(days=10), "测试")])
    assert fresh(application).due_on > before


def test_supervision_is_for_the_head(office):
    application = register(office)
    with pytest.raises(PermissionDeniedError):
        intake.supervise(actor=office.drafter_a, application=application, on=True)
    intake.supervise(actor=office.admin_a, application=application, on=True, note="请加快办理")
    assert fresh(application).supervised


def test_appeals_are_recorded_and_decided(office):
    from gongkai.applications import appeals

    application = register(office)
    appeal = appeals.appeal_add(actor=office.drafter_a, application=application, kind="review", body="清河县人民政府",
                                filed_on=TODAY)
    with pytest.raises(ServiceError) as caught:
        appeals.appeal_decide(actor=office.drafter_a, appeal=appeal, outcome="upheld")
    assert caught.value.code == "APPEAL_DECIDED_ON_REQUIRED"
    appeals.appeal_decide(actor=office.drafter_a, appeal=appeal, outcome="upheld", decided_on=TODAY)
    appeal.refresh_from_db()
    assert appeal.outcome == "upheld"



def test_a_new_submission_after_a_calendar_edit_gets_the_new_due_date(office):
    from gongkai.workdays import services

    first, _ = intake.submit_online(agency=office.agency_a, data=applicant(), submission_key="before-notice")
    services.notice_create(actor=None, year=TODAY.year, title="测试调整", ranges=[services.RangeInput(
        "holiday", TODAY + dt.timedelta(days=1), TODAY + dt.timedelta(days=10), "测试")])
    second, _ = intake.submit_online(agency=office.agency_a, data=applicant(description="另一项请求：请公开某文件。"),
                                     submission_key="after-notice")
    assert second.due_on > first.due_on  # the per-process calendar was rebuilt, not reused
    assert fresh(first).due_on == second.due_on  # and open cases were recomputed


@on(dt.date(2026, 3, 20))  # after the steps it dates
def test_a_step_recorded_afterwards_keeps_its_own_date_and_is_audited_with_both(office):
    from gongkai.audit.models import AuditEntry

    application = register(office, received_on=dt.date(2026, 3, 2))
    handling.start_consultation(actor=office.drafter_a, application=application, party="某公司", co_agency=True,
                                on=dt.date(2026, 3, 5))
    handling.end_consultation(actor=office.drafter_a, application=application, outcome="同意公开", on=dt.date(2026, 3, 9))
    events = list(ClockEvent.objects.filter(application=application).order_by("id").values_list("kind", "on"))
    assert events == [("consultation_started", dt.date(2026, 3, 5)), ("consultation_ended", dt.date(2026, 3, 9))]
    # The pause's working days (6 and 9 March) are not counted: the 20th working day is 1 April, not 30 March.
    assert fresh(application).due_on == dt.date(2026, 4, 1)
    row = AuditEntry.objects.filter(object_id=str(application.pk), action="clock").latest("id")
    assert row.after["step_on"] == "2026-03-09" and "办理日期2026-03-09，事后登记" in row.note
    assert timezone.localtime(row.at).date() == timezone.localdate()  # when it was recorded


@on(dt.date(2026, 3, 20))  # after the steps it dates
def test_a_step_cannot_be_dated_in_the_future_or_before_the_step_before_it(office):
    application = register(office, received_on=dt.date(2026, 3, 2))
    with pytest.raises(ServiceError) as future:
        handling.start_consultation(actor=office.drafter_a, application=application, party="某公司", co_agency=True,
                                    on=dt.date(2099, 1, 5))
    assert future.value.code == "STEP_DATE_IN_FUTURE"
    with pytest.raises(ServiceError) as before_receipt:
        handling.start_consultation(actor=office.drafter_a, application=application, party="某公司", co_agency=True,
                                    on=dt.date(2026, 3, 1))
    assert before_receipt.value.code == "STEP_DATE_BEFORE_PREVIOUS" and "2026年03月02日" in before_receipt.value.message
    handling.start_consultation(actor=office.drafter_a, application=application, party="某公司", co_agency=True,
                                on=dt.date(2026, 3, 10))
    with pytest.raises(ServiceError) as before_previous:
        handling.end_consultation(actor=office.drafter_a, application=application, outcome="同意", on=dt.date(2026, 3, 9))
    assert before_previous.value.code == "STEP_DATE_BEFORE_PREVIOUS"
    assert ClockEvent.objects.filter(application=application).count() == 1


def test_an_unreadable_step_date_on_the_case_page_is_refused_not_taken_as_today(office, login):
    from django.urls import reverse

    application = register(office, received_on=dt.date(2026, 3, 2))
    client = login(office.drafter_a)
    url = reverse("applications_staff:act", args=[office.agency_a.code, application.pk, "consult"])
    response = client.post(url, {"party": "某公司", "co_agency": "1", "on": "2026/13/45"}, follow=True)
    assert "办理日期格式不正确" in response.content.decode()
    assert not ClockEvent.objects.filter(application=application).exists()
    client.post(url, {"party": "某公司", "co_agency": "1", "on": "2026-03-04"})
    assert ClockEvent.objects.get(application=application).on == dt.date(2026, 3, 4)
