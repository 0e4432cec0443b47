"""The rules of a consultation's period, as small functions of dates."""

import datetime as dt
from enum import StrEnum

from django.conf import settings

from gongkai.errors import ServiceError


class Phase(StrEnum):
    DRAFT = "draft"
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"
    FEEDBACK = "feedback"


PHASE_LABELS = {Phase.DRAFT: "草稿", Phase.UPCOMING: "即将开始", Phase.OPEN: "正在征集", Phase.CLOSED: "征集结束",
                Phase.FEEDBACK: "已反馈"}


def period_days(starts_on: dt.date, ends_on: dt.date) -> int:
    """Calendar days of a period, both ends included (1 March to 30 March is 30 days)."""
    return (ends_on - starts_on).days + 1


def minimum_days(kind: str) -> int:
    """The shortest period without a recorded reason.

    《重大行政决策程序暂行条例》第十五条: 征求意见期限一般不少于30日 for a 重大行政决策 draft
    (GONGKAI_CONSULTATION_MAJOR_MIN_DAYS). Other drafts have no national minimum here; the 规范性文件
    rules of many provinces ask for 7 days or more (GONGKAI_CONSULTATION_MIN_DAYS, default 1, i.e. none).
    """
    from gongkai.consultations.models import Kind

    if kind == Kind.MAJOR_DECISION:
        return settings.GONGKAI_CONSULTATION_MAJOR_MIN_DAYS
    return settings.GONGKAI_CONSULTATION_MIN_DAYS


def check_period(kind: str, starts_on, ends_on, short_period_reason: str) -> None:
    if starts_on is None:
        raise ServiceError("PERIOD_START_MISSING", "请填写征集开始日期。", field="starts_on")
    if ends_on is None:
        raise ServiceError("PERIOD_END_MISSING", "请填写征集截止日期。", field="ends_on")
    if ends_on < starts_on:
        raise ServiceError("PERIOD_REVERSED", "征集截止日期不能早于开始日期。", field="ends_on")
    needed = minimum_days(kind)
    days = period_days(starts_on, ends_on)
    if days < needed and not (short_period_reason or "").strip():
        raise ServiceError(
            "PERIOD_TOO_SHORT",
            f"重大行政决策事项征求意见期限一般不少于{needed}日（《重大行政决策程序暂行条例》第十五条），"
            f"本次仅{days}日。请延长征集期，或填写缩短期限的理由。", field="short_period_reason")


def phase(consultation, on: dt.date) -> Phase:
    """Where a consultation stands on day ``on``."""
    from gongkai.consultations.models import Status

    if consultation.status == Status.DRAFT:
        return Phase.DRAFT
    if consultation.status == Status.FEEDBACK_PUBLISHED:
        return Phase.FEEDBACK
    if consultation.closed_early_on and on >= consultation.closed_early_on:
        return Phase.CLOSED
    if on < consultation.starts_on:
        return Phase.UPCOMING
    if on > consultation.last_day:
        return Phase.CLOSED
    return Phase.OPEN


def feedback_due_on(last_day: dt.date, calendar=None) -> dt.date:
    """The day 采纳情况反馈 is due: GONGKAI_CONSULTATION_FEEDBACK_WORKING_DAYS working days after
    the last day of the period. UNCONFIRMED: no national text fixes this limit; 15 working days
    follows the practice of several provincial 政务公开 assessment schemes and is a setting."""
    from gongkai.workdays.calendar import WorkdayCalendar

    calendar = calendar or WorkdayCalendar.load()
    return calendar.add_working_days(last_day, settings.GONGKAI_CONSULTATION_FEEDBACK_WORKING_DAYS).due
