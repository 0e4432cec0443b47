"""Handling an open application: 补正, consultation, extension, 第35条 delay, fees, the reply,
closing as abandoned, and issuing letters. Every step is a clock event or a decision, audited."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gongkai.applications import clock, clockkeeping, fees, letters
from gongkai.applications.applicants import applicant_key_of
from gongkai.applications.clock import EventKind
from gongkai.applications.intake import APPLICANT_LABEL, PUBLIC_SNAPSHOT, _store_files, check_uploads
from gongkai.applications.models import (
    OPEN_STATUSES,
    Application,
    ApplicationFile,
    Letter,
    LetterKind,
    Status,
)
from gongkai.applications.replies import RULES, ReplyType, recorded_reply_type
from gongkai.audit.models import Action
from gongkai.audit.services import record, snapshot
from gongkai.disclosure.sanitize import refuse_active_content
from gongkai.errors import ServiceError
from gongkai.orgs import access
from gongkai.orgs.roles import Perm
from gongkai.workdays.calendar import WorkdayCalendar


def _open(actor, application, perm=Perm.HANDLE_APPLICATIONS) -> Application:
    """The application, locked and current, after checking rights and that it is still open."""
    access.require(actor, perm, application.agency)
    application = clockkeeping.locked(application)
    if application.status not in OPEN_STATUSES:
        raise ServiceError("APPLICATION_CLOSED", "该申请已办结或已转办，不能再办理。")
    return application


def _text(value, field, label, *, required=True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ServiceError("FIELD_REQUIRED", f"请填写“{label}”。", field=field)
    refuse_active_content(value, field=field, label=label)
    return value


def stated_on(application, on: dt.date | None) -> dt.date:
    """The date a step was taken: today, or an earlier day when it is recorded afterwards (a notice
    handed over on paper, a correction that came by post). Never in the future, and never before the
    step before it, or the clock (第三十、三十三条) would be counted from a day out of order."""
    today = timezone.localdate()
    if on is None:
        return today
    if on > today:
        raise ServiceError("STEP_DATE_IN_FUTURE", "办理日期不能晚于今天。", field="on")
    previous = max([application.received_on, *application.clock_events.values_list("on", flat=True)])
    if on < previous:
        raise ServiceError("STEP_DATE_BEFORE_PREVIOUS",
                           f"办理日期不能早于上一办理环节的日期（{previous:%Y年%m月%d日}）。", field="on")
    return on


def _event(actor, application, kind, *, status=None, note="", on: dt.date | None = None, **fields):
    """A clock event, audited. The audit row's time is when it was recorded; ``step_on`` is the day
    the step was taken, which differs when it is recorded afterwards."""
    on = stated_on(application, on)
    before = snapshot(application, PUBLIC_SNAPSHOT)
    event = clockkeeping.add_event(application, kind, actor=actor, note=note, on=on, **fields)
    if status:
        application.status = status
        application.save(update_fields=["status", "updated_at"])
    dated = "" if on == timezone.localdate() else f"（办理日期{on:%Y-%m-%d}，事后登记）"
    record(actor=actor, action=Action.CLOCK, obj=application, agency=application.agency, before=before,
           after={**snapshot(application, PUBLIC_SNAPSHOT), "step_on": on.isoformat()},
           note=f"{event.get_kind_display()}{dated}：{note}"[:500])
    return event


def request_correction(*, actor, application, items: str, deadline: dt.date, on: dt.date | None = None) -> Letter:
    """第30条: ask once, listing everything to correct, with a reasonable deadline."""
    items = _text(items, "items", "补正事项")
    with transaction.atomic():
        application = _open(actor, application)
        today = timezone.localdate()
        sent_on = stated_on(application, on)
        if deadline is None or deadline <= today:
            raise ServiceError("CORRECTION_DEADLINE_INVALID", "补正期限应晚于今天。", field="deadline")
        if application.clock_events.filter(kind=EventKind.CORRECTION_REQUESTED).exists():
            # 第30条 requires one notice listing everything (一次性告知).
            raise ServiceError("CORRECTION_ALREADY_REQUESTED", "补正告知应一次性发出，本申请已发出过补正告知。")
        state = clockkeeping.state_of(application)
        late = state.correction_notice_by and sent_on > state.correction_notice_by
        _event(actor, application, EventKind.CORRECTION_REQUESTED, on=sent_on, until=deadline,
               status=Status.AWAITING_CORRECTION, note=("已超过第三十条规定的7个工作日；" if late else "") + items)
        return letters.compose(application, LetterKind.CORRECTION, extra={"items": items, "deadline": deadline})


def receive_correction(*, application, text: str, files=(), actor=None, on: dt.date | None = None) -> Application:
    """The applicant (through the status page) or staff record the corrected application; staff
    may give the day it arrived (``on``), the applicant's own submission is dated today."""
    text = _text(text, "text", "补正内容")
    checked = check_uploads(files, field="files", capped=actor is None)  # the public's are capped
    with transaction.atomic():
        application = clockkeeping.locked(application)
        if actor is not None:
            access.require(actor, Perm.HANDLE_APPLICATIONS, application.agency)
        if application.status != Status.AWAITING_CORRECTION:
            raise ServiceError("CORRECTION_NOT_REQUESTED", "该申请目前不需要补正。")
        requested = application.clock_events.filter(kind=EventKind.CORRECTION_REQUESTED).last()
        today = stated_on(application, on if actor is not None else None)
        if requested.until and today > requested.until:
            raise ServiceError("CORRECTION_TOO_LATE", f"补正期限已于{requested.until:%Y年%m月%d日}届满。")
        _store_files(application, checked, ApplicationFile.Kind.CORRECTION)
        application.description = f"{application.description}\n\n【补正 {today:%Y-%m-%d}】{text}"
        application.save(update_fields=["description"])
        _event(actor, application, EventKind.CORRECTION_RECEIVED, on=today, status=Status.IN_PROGRESS, note=text[:200])
        if actor is None:
            record(actor=None, label=APPLICANT_LABEL, action=Action.CORRECTION_RECEIVE, obj=application, agency=application.agency,
                   after={"correction": text[:300]}, note="申请人提交补正")
    return application


def start_consultation(*, actor, application, party: str, co_agency: bool = False,
                       on: dt.date | None = None) -> Letter | None:
    """第32条 third party (15 WD to answer) or 第34条 co-producing agency; the time is not counted."""
    party = _text(party, "party", "征求意见对象")
    with transaction.atomic():
        application = _open(actor, application)
        # The label is shown to the applicant; who the third party is stays in the internal note.
        label = f"征求{'共同制作机关' if co_agency else '第三方'}意见"
        event = _event(actor, application, EventKind.CONSULTATION_STARTED, label=label, status=Status.CONSULTING,
                       note=party, on=on)
        if co_agency:
            return None
        answer_by = WorkdayCalendar.load().add_working_days(event.on, clock.THIRD_PARTY_WORKING_DAYS).due
        return letters.compose(application, LetterKind.THIRD_PARTY, extra={"party": party, "answer_by": answer_by})


def end_consultation(*, actor, application, outcome: str, on: dt.date | None = None) -> Application:
    outcome = _text(outcome, "outcome", "征求意见结果")
    with transaction.atomic():
        application = _open(actor, application)
        if application.status != Status.CONSULTING:
            raise ServiceError("NOT_CONSULTING", "该申请没有正在进行的征求意见。")
        _event(actor, application, EventKind.CONSULTATION_ENDED, status=Status.IN_PROGRESS, note=outcome, on=on)
    return application


def extend(*, actor, application, days: int, reason: str, on: dt.date | None = None) -> Letter:
    """第33条: one extension of at most 20 working days, approved by the office head, notified."""
    reason = _text(reason, "reason", "延期理由")
    with transaction.atomic():
        application = _open(actor, application, Perm.HEAD_APPLICATIONS)
        if not 1 <= (days or 0) <= clock.MAX_EXTENSION_WORKING_DAYS:
            raise ServiceError("EXTENSION_DAYS_INVALID", "延长期限应为1至20个工作日（第三十三条）。", field="days")
        if application.clock_events.filter(kind=EventKind.EXTENDED).exists():
            raise ServiceError("EXTENSION_ALREADY_USED", "第三十三条只允许延长一次，本申请已延期。")
        approved_on = stated_on(application, on)
        if application.due_on and approved_on > application.due_on:
            raise ServiceError("EXTENSION_TOO_LATE", "答复期限已过，不能再延期。")
        _event(actor, application, EventKind.EXTENDED, days=days, note=reason, on=approved_on)
        return letters.compose(application, LetterKind.EXTENSION, extra={"days": days, "reason": reason,
                                                                         "due": application.due_on})


def set_delay(*, actor, application, until: dt.date, reason: str) -> Letter:
    """第35条: a reasoned later date for a manifestly excessive request."""
    reason = _text(reason, "reason", "延迟答复理由")
    with transaction.atomic():
        application = _open(actor, application, Perm.HEAD_APPLICATIONS)
        if until is None or until <= timezone.localdate():
            raise ServiceError("DELAY_DATE_INVALID", "延迟答复期限应晚于今天。", field="until")
        _event(actor, application, EventKind.DELAY_SET, until=until, note=reason)
        return letters.compose(application, LetterKind.DELAY, extra={"until": until, "reason": reason})


def fee_notice(*, actor, application, method: str, quantity: int, on: dt.date | None = None) -> Letter | None:
    """信息处理费 (第42条, 国办函〔2020〕109号). Below the thresholds nothing is charged or sent."""
    with transaction.atomic():
        application = _open(actor, application)
        if method == "per_item":
            earlier = _items_this_month(application)
            quote = fees.quote_per_item(quantity, previous_in_month=earlier)
        elif method == "per_page":
            quote = fees.quote_per_page(quantity)
        else:
            raise ServiceError("FEE_METHOD_INVALID", "收费方式应为按件或按量。", field="method")
        if quote.amount == 0:
            raise ServiceError("FEE_BELOW_THRESHOLD", "未超过收费标准，不应收取信息处理费。", field="quantity")
        application.fee_method, application.fee_quantity, application.fee_amount = method, quantity, quote.amount
        application.save(update_fields=["fee_method", "fee_quantity", "fee_amount"])
        event = _event(actor, application, EventKind.FEE_NOTICE, status=Status.AWAITING_FEE, note=f"{quote.amount}元", on=on)
        pay_by = WorkdayCalendar.load().add_working_days(event.on + dt.timedelta(days=1),
                                                        fees.FEE_PAYMENT_WORKING_DAYS).due
        return letters.compose(application, LetterKind.FEE, extra={"quote": quote, "pay_by": pay_by})


def _items_this_month(application) -> int:
    """The same applicant's applications received earlier in the same natural month, for the 按件 fee.

    109号第四条 counts "同一申请人一个自然月内累计申请" the applications of the same applicant in one
    natural month, and spec regulation.md §1.4 repeats it ("按件（同一申请人、一个自然月内累计）").
    Neither says whether applications to other agencies count, so it is a setting
    (GONGKAI_FEE_MONTH_COUNT_SCOPE): by default the charging agency counts what it received itself;
    "platform" counts every agency on the platform (those off the platform cannot be counted). The
    same applicant is the same identity document (applicant_key, applicants.py), not the same name.
    Earlier means received on an earlier day, or the same day and entered before. A transferred
    request counts once: the case closed as transferred is left out, the receiving agency's case counts.
    """
    key = application.applicant_key or applicant_key_of(application)
    month_start = application.received_on.replace(day=1)
    cases = Application.objects.filter(applicant_key=key, received_on__gte=month_start,
                                       received_on__lte=application.received_on)
    if settings.GONGKAI_FEE_MONTH_COUNT_SCOPE == "agency":
        cases = cases.filter(agency_id=application.agency_id)
    return (cases.filter(Q(received_on__lt=application.received_on) | Q(pk__lt=application.pk))
            .exclude(status=Status.TRANSFERRED).count())


def record_payment(*, actor, application, paid_on: dt.date) -> Application:
    with transaction.atomic():
        application = _open(actor, application)
        if application.status != Status.AWAITING_FEE:
            raise ServiceError("NO_FEE_DUE", "该申请没有待缴的费用。")
        application.fee_paid_on = stated_on(application, paid_on)
        application.save(update_fields=["fee_paid_on"])
        _event(actor, application, EventKind.FEE_PAID, on=application.fee_paid_on, status=Status.IN_PROGRESS)
    return application


def decide_reply(*, actor, application, reply_type: str, reason_code: str = "", reason: str = "") -> Letter:
    """Record the outcome and compose the 答复书; the case closes when the letter is issued."""
    if reply_type not in ReplyType.values:
        raise ServiceError("REPLY_TYPE_INVALID", "请选择答复类型。", field="reply_type")
    chosen, reply_type = reply_type, recorded_reply_type(reply_type, settings.GONGKAI_ADMIN_QUERY_REPLY)
    rule = RULES[reply_type]
    reason = _text(reason, "reason", "答复理由", required=rule.needs_reason)
    if rule.reason_codes and reason_code not in rule.reason_codes:
        raise ServiceError("REPLY_REASON_CODE_REQUIRED", "请选择不予公开的法定理由（第十四至十六条）。", field="reason_code")
    with transaction.atomic():
        application = _open(actor, application)
        if application.status in (Status.AWAITING_CORRECTION, Status.CONSULTING, Status.AWAITING_FEE):
            raise ServiceError("REPLY_NOT_YET", f"申请处于“{application.get_status_display()}”状态，请先完成该环节。")
        before = snapshot(application, ["reply_type", "reply_reason_code", "reply_reason"])
        application.reply_type, application.reply_reason_code, application.reply_reason = reply_type, reason_code, reason
        application.save(update_fields=["reply_type", "reply_reason_code", "reply_reason"])
        application.letters.filter(kind=LetterKind.REPLY, issued_at__isnull=True).delete()  # a redrafted decision
        record(actor=actor, action=Action.REPLY, obj=application, agency=application.agency, before=before,
               after=snapshot(application, ["reply_type", "reply_reason_code", "reply_reason"]),
               note="" if chosen == reply_type else f"行政查询事项，按部署设置记为“{ReplyType(reply_type).label}”")
        return letters.compose(application, LetterKind.REPLY)


def close_abandoned(*, actor, application, why: str) -> Application:
    """视为放弃: no correction by the deadline (第30条) or the fee not paid in time."""
    with transaction.atomic():
        application = _open(actor, application)
        today = timezone.localdate()
        if why == "no_correction":
            requested = application.clock_events.filter(kind=EventKind.CORRECTION_REQUESTED).last()
            if application.status != Status.AWAITING_CORRECTION or requested is None or not requested.until \
                    or today <= requested.until:
                raise ServiceError("CORRECTION_PERIOD_RUNNING", "补正期限尚未届满，不能视为放弃。")
            reply_type = ReplyType.OTHER_NO_CORRECTION
        elif why == "fee_unpaid":
            notice = application.clock_events.filter(kind=EventKind.FEE_NOTICE).last()
            pay_by = notice and WorkdayCalendar.load().add_working_days(notice.on + dt.timedelta(days=1),
                                                                       fees.FEE_PAYMENT_WORKING_DAYS).due
            if application.status != Status.AWAITING_FEE or not pay_by or today <= pay_by:
                raise ServiceError("FEE_PERIOD_RUNNING", "缴费期限尚未届满，不能视为放弃。")
            reply_type = ReplyType.OTHER_FEE_UNPAID
        else:
            raise ServiceError("ABANDON_REASON_INVALID", "视为放弃的原因不正确。")
        before = snapshot(application, PUBLIC_SNAPSHOT)
        application.reply_type, application.status, application.closed_on = reply_type, Status.CLOSED, today
        application.save()
        record(actor=actor, action=Action.REPLY, obj=application, agency=application.agency, before=before,
               after=snapshot(application, PUBLIC_SNAPSHOT), note=ReplyType(reply_type).label)
    return application


def issue_letter(*, actor, letter: Letter, body: str | None = None, on: dt.date | None = None) -> Letter:
    """Review, optionally edit, and issue a letter. Issuing the 答复书 closes the case.

    ``on``: the day the letter was signed, when it is recorded afterwards (stated_on's rules); the
    答复 date of 第三十三条 is that day."""
    application = letter.application
    access.require(actor, Perm.HANDLE_APPLICATIONS, application.agency)
    if letter.issued_at is not None:
        raise ServiceError("LETTER_ALREADY_ISSUED", "文书已签发，不能修改。")
    signed_on = stated_on(application, on)
    with transaction.atomic():
        if body is not None:
            letter.body = _text(body, "body", "文书正文")
        letter = letters.issue(application, letter.kind, actor=actor, draft=letter, on=signed_on)
        dated = {} if signed_on == timezone.localdate() else {"issued_on": signed_on.isoformat()}
        record(actor=actor, action=Action.ISSUE, obj=letter, agency=application.agency,
               after={"kind": letter.kind, "number": letter.number, "title": letter.title, **dated})
        if letter.kind == LetterKind.REPLY:
            application = Application.objects.select_for_update().get(pk=application.pk)
            before = snapshot(application, PUBLIC_SNAPSHOT)
            application.status = Status.REPLIED
            application.replied_on = application.closed_on = signed_on
            application.save()
            record(actor=actor, action=Action.REPLY, obj=application, agency=application.agency, before=before,
                   after=snapshot(application, PUBLIC_SNAPSHOT), note="答复书已签发，办结")
    return letter
