"""The statutory clock of a disclosure request, recomputed from its events every time.

Rules (《政府信息公开条例》2019):
- 第33条: reply within 20 working days of receipt; one extension of at most 20 working days,
  approved by the head of the disclosure office and notified to the applicant.
- 第30条: a correction (补正) request goes out within 7 working days of receipt; the period
  restarts from the day the corrected application arrives; no correction by the stated
  deadline means the application is treated as abandoned (视为放弃).
- 第32条 (third parties, 15 working days to answer) and 第34条 (co-producing agencies): the time
  spent consulting is not counted.
- 第35条: for manifestly excessive requests the agency may set a reasoned later date.
- Fee notices: whether the period is suspended while a fee notice is outstanding is not settled
  in the spec (UNCONFIRMED), so it is settings.GONGKAI_FEE_NOTICE_PAUSES_CLOCK (default on).

A pause covers the working days after its first day up to and including its last day: the
day a consultation letter goes out still counts, the day the answer arrives does not.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models

from gongkai.cn_format import cn_date
from gongkai.workdays.calendar import WorkdayCalendar

REPLY_WORKING_DAYS = 20  # 第33条
MAX_EXTENSION_WORKING_DAYS = 20  # 第33条
CORRECTION_NOTICE_WORKING_DAYS = 7  # 第30条
THIRD_PARTY_WORKING_DAYS = 15  # 第32条
CO_AGENCY_WORKING_DAYS = 15  # 第34条


class EventKind(models.TextChoices):
    CORRECTION_REQUESTED = "correction_requested", "发出补正告知"
    CORRECTION_RECEIVED = "correction_received", "收到补正"
    CONSULTATION_STARTED = "consultation_started", "开始征求意见"
    CONSULTATION_ENDED = "consultation_ended", "征求意见结束"
    EXTENDED = "extended", "延期答复"
    DELAY_SET = "delay_set", "确定延迟答复期限（第三十五条）"
    FEE_NOTICE = "fee_notice", "发出收费通知"
    FEE_PAID = "fee_paid", "缴纳费用"


@dataclass(frozen=True)
class Event:
    kind: str
    on: dt.date
    until: dt.date | None = None  # correction deadline, or the 第35条 date
    days: int | None = None  # extension length
    label: str = ""  # e.g. which third party


@dataclass
class ClockState:
    received_on: dt.date
    state: str  # running | paused | waiting_applicant | fixed
    due: dt.date | None
    calendar_confirmed: bool
    steps: list[str] = field(default_factory=list)
    correction_notice_by: dt.date | None = None  # 第30条 7-working-day limit for asking
    correction_deadline: dt.date | None = None  # what the applicant was given
    remaining_at_pause: int | None = None
    extended: bool = False


def compute(received_on: dt.date, events: list[Event], calendar: WorkdayCalendar,
            *, counts_start_day: bool | None = None) -> ClockState:
    if counts_start_day is None:
        counts_start_day = settings.GONGKAI_DEADLINE_COUNTS_START_DAY
    fee_pauses = settings.GONGKAI_FEE_NOTICE_PAUSES_CLOCK
    notice_by = calendar.add_working_days(received_on, CORRECTION_NOTICE_WORKING_DAYS, counts_start_day=counts_start_day)
    steps = [f"{cn_date(received_on)}收到申请（第三十一条），应在20个工作日内答复（第三十三条）。"]
    start, limit, fixed_due = received_on, REPLY_WORKING_DAYS, None
    pauses: list[list] = []  # [first day, last day or None, reason]
    waiting: Event | None = None
    extended = False
    for event in sorted(events, key=lambda e: e.on):
        kind = event.kind
        if kind == EventKind.CORRECTION_REQUESTED:
            waiting = event
            deadline = f"，补正期限至{cn_date(event.until)}" if event.until else ""
            steps.append(f"{cn_date(event.on)}发出补正告知（第三十条）{deadline}，期限暂停。")
        elif kind == EventKind.CORRECTION_RECEIVED:
            waiting, start, pauses = None, event.on, []
            steps.append(f"{cn_date(event.on)}收到补正，答复期限自该日重新计算。")
        elif kind == EventKind.CONSULTATION_STARTED:
            pauses.append([event.on, None, event.label or "征求意见"])
            steps.append(f"{cn_date(event.on)}开始{event.label or '征求意见'}（第三十二、三十四条），所需时间不计入答复期限。")
        elif kind == EventKind.CONSULTATION_ENDED:
            open_pause = next((p for p in reversed(pauses) if p[1] is None and p[2] != "收费"), None)
            if open_pause:
                open_pause[1] = event.on
                steps.append(f"{cn_date(event.on)}{open_pause[2]}结束，继续计算。")
        elif kind == EventKind.EXTENDED:
            limit += event.days or 0
            extended = True
            steps.append(f"{cn_date(event.on)}经工作机构负责人同意延长{event.days}个工作日（第三十三条）。")
        elif kind == EventKind.DELAY_SET:
            fixed_due = event.until
            steps.append(f"{cn_date(event.on)}依第三十五条确定延迟答复期限为{cn_date(event.until)}。")
        elif kind == EventKind.FEE_NOTICE and fee_pauses:
            pauses.append([event.on, None, "收费"])
            steps.append(f"{cn_date(event.on)}发出收费通知，缴费期间不计入答复期限。")
        elif kind == EventKind.FEE_PAID and fee_pauses:
            open_fee = next((p for p in reversed(pauses) if p[1] is None and p[2] == "收费"), None)
            if open_fee:
                open_fee[1] = event.on
                steps.append(f"{cn_date(event.on)}缴纳费用，继续计算。")
    base = dict(received_on=received_on, steps=steps, correction_notice_by=notice_by.due, extended=extended)
    if waiting is not None:
        return ClockState(state="waiting_applicant", due=None, calendar_confirmed=notice_by.calendar_confirmed,
                          correction_deadline=waiting.until, **base)
    if fixed_due is not None:
        return ClockState(state="fixed", due=fixed_due, calendar_confirmed=True, **base)
    return _walk(start, limit, pauses, calendar, counts_start_day, base)


def _paused(day: dt.date, pauses) -> bool:
    return any(first < day and (last is None or day <= last) for first, last, _ in pauses)


def _walk(start, limit, pauses, calendar, counts_start_day, base) -> ClockState:
    day, counted, years = start, 0, {start.year}
    if counts_start_day and calendar.is_working_day(start) and not _paused(start, pauses):
        counted = 1
    open_pause = next((p for p in pauses if p[1] is None), None)
    horizon = open_pause[0] if open_pause else None
    while counted < limit:
        if horizon is not None and day >= horizon:
            confirmed = all(y in calendar.announced_years for y in years)
            return ClockState(state="paused", due=None, calendar_confirmed=confirmed,
                              remaining_at_pause=limit - counted, **base)
        day += dt.timedelta(days=1)
        years.add(day.year)
        if calendar.is_working_day(day) and not _paused(day, pauses):
            counted += 1
    confirmed = all(y in calendar.announced_years for y in years)
    if not confirmed:
        base["steps"].append("注意：期限跨入尚未录入节假日安排通知的年份，暂按《全国年节及纪念日放假办法》规定的法定节假日推算（不含调休），通知录入后可能调整。")
    base["steps"].append(f"答复期限：{cn_date(day)}。")
    return ClockState(state="running", due=day, calendar_confirmed=confirmed, **base)


def working_days_left(due: dt.date, today: dt.date, calendar: WorkdayCalendar) -> int:
    """Working days from today to the due date (negative when overdue)."""
    if due >= today:
        return calendar.working_days_between(today, due)
    return -calendar.working_days_between(due, today)


@dataclass(frozen=True)
class Standing:
    """Where a case stands on ``today``: the headline of its staff page and the next legal step."""

    headline: str  # "剩余5个工作日", "超期3个工作日", "暂停计时", "等待申请人补正"
    tone: str  # ok | soon | overdue | paused
    next_step: str


def standing(state: ClockState, today: dt.date, calendar: WorkdayCalendar, *, is_open: bool = True) -> Standing:
    """The clock as a handler needs it first: how many working days are left or overrun, and what
    the regulation requires next. ``today`` is passed in, so the rule is tested on fixed dates."""
    if not is_open:
        return Standing("已办结", "ok", "本申请已办结；如申请人申请行政复议或提起行政诉讼，请在下方登记。")
    if state.state == "waiting_applicant":
        by = f"在{cn_date(state.correction_deadline)}前" if state.correction_deadline else "在合理期限内"
        return Standing("等待申请人补正", "paused",
                        f"等待申请人{by}补正；期限暂停。收到补正后答复期限重新计算，"
                        "无正当理由逾期不补正的，视为放弃申请（第三十条）。")
    if state.state == "paused":
        return Standing(f"暂停计时（余{state.remaining_at_pause}个工作日）", "paused",
                        "征求意见或缴费期间不计入答复期限（第三十二、三十四、四十二条）；结束后请登记，期限继续计算。")
    if state.due is None:
        return Standing("—", "ok", "")
    left = working_days_left(state.due, today, calendar)
    due = cn_date(state.due)
    if left < 0 or (left == 0 and state.due < today):
        overrun = f"超期{-left}个工作日" if left < 0 else "已过答复期限"
        return Standing(overrun, "overdue",
                        f"答复期限{due}已过（第三十三条），请立即作出答复。")
    headline = "今日到期" if left == 0 else f"剩余{left}个工作日"
    if state.correction_notice_by and today <= state.correction_notice_by and not state.extended:
        step = (f"如申请内容不明确，应在{cn_date(state.correction_notice_by)}前一次性告知补正（第三十条）；"
                f"否则在{due}前作出答复（第三十三条）。")
    else:
        step = f"在{due}前作出答复（第三十三条）；需要延长的，应在期限届满前经负责人同意，最长延长20个工作日。"
    return Standing(headline, "soon" if left <= 5 else "ok", step)


def receipt_date_rule(channel: str) -> str:
    """第三十一条: which date counts as receipt, per channel (shown on the registration form)."""
    return RECEIPT_RULES[channel]


RECEIPT_RULES = {
    "online": "通过本平台提交的，以平台自动确认收到之日为收到申请之日（第三十一条第三项）。",
    "in_person": "当面提交的，以提交之日为收到申请之日（第三十一条第一项）。",
    "post": "以邮寄方式提交的，以签收之日为收到申请之日（第三十一条第二项）。",
    "plain_letter": "以平常信函等无需签收的方式提交的，以与申请人确认之日为收到申请之日（第三十一条第二项）。",
    "fax": "以传真方式提交的，以双方确认之日为收到申请之日（第三十一条第三项）。",
    "email": "以电子邮件方式提交的，以双方确认之日为收到申请之日（第三十一条第三项）。",
    "oral": "口头提出、由工作机构代为填写的，以代填之日为收到申请之日（第二十九条）。",
}
