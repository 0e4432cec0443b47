"""The statutory clock: every case that would break it, on the real 2024–2026 calendar."""

import datetime as dt

from gongkai.applications.clock import Event, EventKind, compute, standing, working_days_left
from gongkai.workdays.calendar import WorkdayCalendar

D = dt.date
CAL = WorkdayCalendar()  # package data only


def clock(received, *events, **kwargs):
    return compute(received, list(events), CAL, counts_start_day=False, **kwargs)


def test_plain_twenty_working_days():
    state = clock(D(2026, 3, 2))
    assert (state.state, state.due, state.calendar_confirmed) == ("running", D(2026, 3, 30), True)
    assert state.correction_notice_by == D(2026, 3, 11)  # 7 working days (第30条)


def test_receipt_on_a_saturday_starts_counting_on_monday():
    assert clock(D(2026, 3, 7)).due == D(2026, 4, 3)


def test_receipt_on_a_holiday_counts_from_the_first_working_day():
    # Received 1 Oct 2026: 8, 9, 10 (调休 Saturday) Oct are days 1–3, …, day 20 is 3 Nov.
    assert clock(D(2026, 10, 1)).due == D(2026, 11, 3)


def test_receipt_on_new_years_eve_with_next_year_unannounced():
    state = clock(D(2026, 12, 31))
    assert state.due == D(2027, 1, 29)  # 1 Jan 2027 (a Friday) is 元旦 by law, not a working day
    assert state.calendar_confirmed is False
    assert any("尚未录入节假日安排通知" in step and "法定节假日" in step for step in state.steps)


def test_correction_stops_the_clock_and_restarts_it_from_the_corrected_application():
    asked = Event(EventKind.CORRECTION_REQUESTED, D(2026, 3, 5), until=D(2026, 3, 20))
    waiting = clock(D(2026, 3, 2), asked)
    assert (waiting.state, waiting.due, waiting.correction_deadline) == ("waiting_applicant", None, D(2026, 3, 20))
    back = clock(D(2026, 3, 2), asked, Event(EventKind.CORRECTION_RECEIVED, D(2026, 3, 16)))
    assert back.due == D(2026, 4, 14)  # 20 WD from 16 Mar, Qingming (6 Apr 2026) skipped


def test_third_party_consultation_across_spring_festival_is_not_counted():
    # Received Mon 2 Feb 2026; letter to the third party Wed 4 Feb; answer Wed 4 Mar.
    started = Event(EventKind.CONSULTATION_STARTED, D(2026, 2, 4), label="征求第三方意见")
    paused = clock(D(2026, 2, 2), started)
    assert paused.state == "paused" and paused.remaining_at_pause == 18  # 3 and 4 Feb were counted
    resumed = clock(D(2026, 2, 2), started, Event(EventKind.CONSULTATION_ENDED, D(2026, 3, 4)))
    # 18 more working days after 4 Mar: 5–6, 9–13, 16–20, 23–27, 30 Mar → 30 Mar.
    assert resumed.due == D(2026, 3, 30)


def test_extension_across_national_day():
    # Received Mon 7 Sep 2026: 20 WD → Saturday 10 Oct, a 调休 working day (holidays 25 Sep and
    # 1–7 Oct; Sunday 20 Sep worked).
    assert clock(D(2026, 9, 7)).due == D(2026, 10, 10)
    extended = clock(D(2026, 9, 7), Event(EventKind.EXTENDED, D(2026, 9, 30), days=20))
    assert extended.due == D(2026, 11, 6) and extended.extended


def test_reasoned_later_date_under_article_35_replaces_the_period():
    state = clock(D(2026, 3, 2), Event(EventKind.DELAY_SET, D(2026, 3, 10), until=D(2026, 6, 30)))
    assert (state.state, state.due) == ("fixed", D(2026, 6, 30))


def test_fee_notice_pauses_the_clock_when_the_setting_says_so(settings):
    notice, paid = Event(EventKind.FEE_NOTICE, D(2026, 3, 4)), Event(EventKind.FEE_PAID, D(2026, 3, 11))
    settings.GONGKAI_FEE_NOTICE_PAUSES_CLOCK = True
    assert clock(D(2026, 3, 2), notice, paid).due == D(2026, 4, 7)
    settings.GONGKAI_FEE_NOTICE_PAUSES_CLOCK = False
    assert clock(D(2026, 3, 2), notice, paid).due == D(2026, 3, 30)


def test_counting_the_start_day_is_a_setting():
    assert compute(D(2026, 3, 2), [], CAL, counts_start_day=True).due == D(2026, 3, 27)


def test_an_announced_2027_notice_changes_the_due_date():
    calendar = WorkdayCalendar({D(2027, 1, 1): False}, announced_years={2027})
    state = compute(D(2026, 12, 31), [], calendar, counts_start_day=False)
    assert state.due == D(2027, 1, 29) and state.calendar_confirmed


def test_days_left_counts_working_days_both_ways():
    assert working_days_left(D(2026, 3, 30), D(2026, 3, 27), CAL) == 1
    assert working_days_left(D(2026, 3, 27), D(2026, 3, 31), CAL) == -2


def test_every_step_of_the_derivation_is_explained():
    state = clock(D(2026, 9, 7), Event(EventKind.EXTENDED, D(2026, 9, 30), days=20))
    assert state.steps[0].startswith("2026年9月7日收到申请")
    assert any("延长20个工作日" in s for s in state.steps) and state.steps[-1] == "答复期限：2026年11月6日。"


def test_standing_counts_working_days_left_and_says_what_to_do_first():
    state = clock(D(2026, 3, 2))  # due 30 March, correction notice by 11 March
    early = standing(state, D(2026, 3, 4), CAL)
    assert (early.headline, early.tone) == ("剩余18个工作日", "ok")
    assert early.next_step.startswith("如申请内容不明确，应在2026年3月11日前一次性告知补正")
    later = standing(state, D(2026, 3, 24), CAL)
    assert (later.headline, later.tone) == ("剩余4个工作日", "soon")
    assert later.next_step.startswith("在2026年3月30日前作出答复")
    assert standing(state, D(2026, 3, 30), CAL).headline == "今日到期"


def test_standing_of_an_overdue_case_counts_working_days_overrun():
    state = clock(D(2026, 3, 2))
    # 31 Mar – 3 Apr are four working days; 4–6 April is 清明 (Sat–Mon), so the 7th is the fifth.
    overdue = standing(state, D(2026, 4, 7), CAL)
    assert (overdue.headline, overdue.tone) == ("超期5个工作日", "overdue")
    assert "答复期限2026年3月30日已过" in overdue.next_step


def test_standing_while_waiting_for_a_correction_or_paused():
    asked = Event(EventKind.CORRECTION_REQUESTED, D(2026, 3, 5), until=D(2026, 3, 20))
    waiting = standing(clock(D(2026, 3, 2), asked), D(2026, 3, 9), CAL)
    assert (waiting.headline, waiting.tone) == ("等待申请人补正", "paused")
    assert "在2026年3月20日前补正" in waiting.next_step and "视为放弃" in waiting.next_step
    consulting = Event(EventKind.CONSULTATION_STARTED, D(2026, 3, 9), label="征求第三方意见")
    paused = standing(clock(D(2026, 3, 2), consulting), D(2026, 3, 20), CAL)
    assert paused.headline == "暂停计时（余15个工作日）" and paused.tone == "paused"
