"""Every change to a message or an FAQ entry: permission, validation, one transaction, one audit row."""


from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai import tracking_codes
from gongkai.applications import intake, mailing
from gongkai.applications.models import Channel as ApplicationChannel
from gongkai.audit.models import Action
from gongkai.audit.services import record, snapshot
from gongkai.enquiries.limits import reply_deadline
from gongkai.enquiries.models import OPEN_STATUSES, Channel, Enquiry, Faq, RefusalReason, Status
from gongkai.enquiries.validation import clean_message, clean_text
from gongkai.errors import ServiceError
from gongkai.orgs import access
from gongkai.orgs.roles import Perm
from gongkai.pii.detectors import scan
from gongkai.workdays import calendar_lock
from gongkai.workdays.calendar import WorkdayCalendar

ASKER_LABEL = "留言人（网上）"
# Contact data stays out of the audit trail (it is personal information, encrypted at rest).
SNAPSHOT = ["tracking_code", "agency", "kind", "channel", "subject", "allow_publish", "received_on", "clock_from", "due_on",
            "status", "handler", "transferred_from", "answered_on", "personal", "personal_reason", "published_on",
            "refusal_reason", "refusal_text", "application"]
# How a converted message arrived, in the applications' terms (第29条: an oral request is written down).
APPLICATION_CHANNEL = {Channel.ONLINE: ApplicationChannel.ONLINE, Channel.PHONE: ApplicationChannel.ORAL,
                       Channel.LETTER: ApplicationChannel.POST, Channel.IN_PERSON: ApplicationChannel.IN_PERSON,
                       Channel.FORWARDED: ApplicationChannel.ONLINE}


# Digests of messages' secrets are scoped apart from applications' (tracking_codes.secret_digest).
SECRET_SCOPE = "enquiry:"


def find_by_code(code: str, secret: str) -> Enquiry | None:
    enquiry = Enquiry.objects.select_related("agency").filter(tracking_code=(code or "").strip().upper()).first()
    if enquiry is None or not tracking_codes.secret_matches(enquiry.secret_hash, enquiry.tracking_code, secret,
                                                            scope=SECRET_SCOPE):
        return None
    return enquiry


def _locked(enquiry) -> Enquiry:
    # The message row only: a join would lock its agency too and serialise the agency's other writes.
    return Enquiry.objects.select_for_update().get(pk=enquiry.pk)


def _require_open(enquiry) -> None:
    if not enquiry.is_open:
        raise ServiceError("ENQUIRY_CLOSED", f"该留言{enquiry.get_status_display()}，不能再办理。")


def _deadline(kind: str, start):
    """In the caller's transaction: the calendar is held steady until it commits (workdays.calendar_lock),
    so a holiday notice entered meanwhile either comes first or recomputes this message too."""
    calendar_lock.hold()
    return reply_deadline(kind, start, WorkdayCalendar.load())


def recompute_open_deadlines(*_args) -> int:
    """Run after the holiday calendar changes (settings.GONGKAI_CALENDAR_CHANGED), in the notice's
    transaction: open messages get the limit the new calendar gives. Not audited per message, like
    the applications' recompute: the notice's own audit row records the change."""
    calendar = WorkdayCalendar.load()
    count = 0
    for enquiry in Enquiry.objects.filter(status__in=OPEN_STATUSES).only("pk", "kind", "clock_from", "due_on",
                                                                         "due_confirmed"):
        deadline = reply_deadline(enquiry.kind, enquiry.clock_from, calendar)
        if (deadline.due, deadline.calendar_confirmed) != (enquiry.due_on, enquiry.due_confirmed):
            Enquiry.objects.filter(pk=enquiry.pk).update(due_on=deadline.due, due_confirmed=deadline.calendar_confirmed)
            count += 1
    return count


def _notify(enquiry, subject: str, text: str) -> None:
    """A note to the asker through the outbox, in the caller's transaction, if they gave an e-mail."""
    if enquiry.email:
        mailing.queue_message(enquiry.email, f"{subject}（查询码 {enquiry.tracking_code}）",
                              f"{enquiry.name}：\n\n{text}\n凭查询码和查询密码可在平台“留言查询”中查看。")


def submit_online(*, agency, data: dict) -> tuple[Enquiry, str]:
    """A message from the public. Returns (message, secret); only the secret's hash is stored."""
    if not agency.is_active:
        raise ServiceError("AGENCY_NOT_ACCEPTING", "该机关不在本平台受理留言。")
    cleaned = clean_message(data)
    return _write(agency, cleaned, received_on=timezone.localdate(), channel=Channel.ONLINE, actor=None)


def register(*, actor, agency, data: dict, received_on, channel: str) -> tuple[Enquiry, str]:
    """Staff record a message that came by phone, by letter, in person or forwarded by the 12345
    hotline platform, with the day it
    arrived (the reply limit counts from it). The secret is for staff to pass on to the asker."""
    access.require(actor, Perm.ANSWER_ENQUIRIES, agency)
    if channel not in Channel.values or channel == Channel.ONLINE:
        raise ServiceError("CHANNEL_INVALID", "请选择留言渠道（电话、来信、来访或热线平台转来）。", field="channel")
    if received_on is None or received_on > timezone.localdate():
        raise ServiceError("RECEIVED_ON_INVALID", "受理日期不能为空或晚于今天。", field="received_on")
    cleaned = clean_message(data)
    return _write(agency, cleaned, received_on=received_on, channel=channel, actor=actor)


def _write(agency, cleaned, *, received_on, channel, actor) -> tuple[Enquiry, str]:
    secret = tracking_codes.new_secret()
    for _attempt in range(5):
        code = tracking_codes.new_code()
        try:
            with transaction.atomic():
                deadline = _deadline(cleaned["kind"], received_on)
                enquiry = Enquiry.objects.create(
                    agency=agency, tracking_code=code, kind=cleaned["kind"],
                    secret_hash=tracking_codes.secret_digest(code, secret, scope=SECRET_SCOPE),
                    channel=channel, subject=cleaned["subject"], body=cleaned["body"], name=cleaned["name"],
                    phone=cleaned["phone"], email=cleaned["email"], allow_publish=cleaned["allow_publish"],
                    received_on=received_on, clock_from=received_on, due_on=deadline.due,
                    due_confirmed=deadline.calendar_confirmed)
                record(actor=actor, label=None if actor else ASKER_LABEL, action=Action.CREATE, obj=enquiry,
                       agency=agency, after=snapshot(enquiry, SNAPSHOT))
                if enquiry.email:
                    mailing.queue_message(
                        enquiry.email, f"您的留言已收到（查询码 {code}）",
                        f"{enquiry.name}：\n\n{agency.name}已于{received_on:%Y年%m月%d日}收到您的留言“{enquiry.subject}”。\n"
                        f"查询码：{code}\n查询密码：{secret}\n请妥善保存，凭此查看答复。")
            return enquiry, secret
        except IntegrityError:
            continue  # a tracking code drawn twice: again with a new one
    raise ServiceError("TRACKING_CODE_EXHAUSTED", "生成查询码失败，请重试。")


def assign(*, actor, enquiry, handler) -> Enquiry:
    access.require(actor, Perm.ANSWER_ENQUIRIES, enquiry.agency)
    if handler is not None and not access.can(handler, Perm.ANSWER_ENQUIRIES, enquiry.agency):
        raise ServiceError("HANDLER_NOT_ALLOWED", f"{handler.get_full_name() or handler.username} 不能办理本机关的留言。",
                           field="handler")
    with transaction.atomic():
        enquiry = _locked(enquiry)
        _require_open(enquiry)
        before = snapshot(enquiry, ["handler", "status"])
        enquiry.handler = handler
        enquiry.status = Status.ASSIGNED if handler else Status.RECEIVED
        enquiry.save(update_fields=["handler", "status"])
        record(actor=actor, action=Action.ENQUIRY_ASSIGN, obj=enquiry, agency=enquiry.agency, before=before,
               after=snapshot(enquiry, ["handler", "status"]))
    return enquiry


def answer(*, actor, enquiry, text: str, personal: bool = False, personal_reason: str = "") -> Enquiry:
    """The agency's answer. Published on the portal the same day unless the asker chose not to or
    staff mark it personal, with the reason recorded (not publishing is never silent)."""
    access.require(actor, Perm.ANSWER_ENQUIRIES, enquiry.agency)
    text = clean_text(text, field="answer", label="答复内容", longest=5000)
    personal_reason = (personal_reason or "").strip()
    if personal:
        personal_reason = clean_text(personal_reason, field="personal_reason", label="不公开理由", longest=300)
    today = timezone.localdate()
    with transaction.atomic():
        enquiry = _locked(enquiry)
        _require_open(enquiry)
        before = snapshot(enquiry, SNAPSHOT)
        enquiry.status, enquiry.answer, enquiry.answered_on, enquiry.answered_by = Status.ANSWERED, text, today, actor
        enquiry.personal, enquiry.personal_reason = bool(personal), personal_reason if personal else ""
        enquiry.published_on = today if enquiry.allow_publish and not personal else None
        enquiry.save()
        record(actor=actor, action=Action.ENQUIRY_ANSWER, obj=enquiry, agency=enquiry.agency, before=before,
               after=snapshot(enquiry, SNAPSHOT), note="答复并公开" if enquiry.published_on else "答复，不公开")
        _notify(enquiry, "您的留言已答复", f"{enquiry.agency.name}已答复您的留言“{enquiry.subject}”。")
    return enquiry


def refuse(*, actor, enquiry, reason: str, text: str = "") -> Enquiry:
    """不予受理, with a reason from the fixed list (and words of its own for 其他): the asker sees both."""
    access.require(actor, Perm.ANSWER_ENQUIRIES, enquiry.agency)
    if reason not in RefusalReason.values:
        raise ServiceError("REFUSAL_REASON_INVALID", "请从列表中选择不予受理的理由。", field="reason")
    text = (text or "").strip()
    if reason == RefusalReason.OTHER or text:
        text = clean_text(text, field="text", label="理由说明", longest=300)
    with transaction.atomic():
        enquiry = _locked(enquiry)
        _require_open(enquiry)
        before = snapshot(enquiry, SNAPSHOT)
        enquiry.status, enquiry.refusal_reason, enquiry.refusal_text = Status.REFUSED, reason, text
        enquiry.answered_on, enquiry.answered_by = timezone.localdate(), actor
        enquiry.save()
        record(actor=actor, action=Action.ENQUIRY_REFUSE, obj=enquiry, agency=enquiry.agency, before=before,
               after=snapshot(enquiry, SNAPSHOT), note=enquiry.refusal_label)
        _notify(enquiry, "您的留言不予受理", f"{enquiry.agency.name}对您的留言“{enquiry.subject}”不予受理，"
                                     f"理由：{enquiry.refusal_label}。")
    return enquiry


def transfer(*, actor, enquiry, to_agency, note: str = "") -> Enquiry:
    """Hand a message to the competent agency. The receiving agency's reply limit starts on the
    transfer day (it could not answer before it had the message), as 第36条 transfers of
    applications do; the three-month line of supervision counts from the first receipt."""
    access.require(actor, Perm.ANSWER_ENQUIRIES, enquiry.agency)
    if to_agency is None or to_agency.pk == enquiry.agency_id or not to_agency.is_active:
        raise ServiceError("TRANSFER_TARGET_INVALID", "请选择本平台上的其他机关。", field="to_agency")
    note = (note or "").strip()
    if note:
        note = clean_text(note, field="note", label="转办说明", longest=300)
    today = timezone.localdate()
    with transaction.atomic():
        enquiry = _locked(enquiry)
        _require_open(enquiry)
        before = snapshot(enquiry, SNAPSHOT)
        from_agency = enquiry.agency
        deadline = _deadline(enquiry.kind, today)
        enquiry.transferred_from, enquiry.agency, enquiry.transferred_on = from_agency, to_agency, today
        enquiry.transfer_note, enquiry.clock_from, enquiry.due_on = note, today, deadline.due
        enquiry.due_confirmed, enquiry.handler, enquiry.status = deadline.calendar_confirmed, None, Status.RECEIVED
        enquiry.save()
        after = snapshot(enquiry, SNAPSHOT)
        record(actor=actor, action=Action.TRANSFER, obj=enquiry, agency=from_agency, before=before, after=after,
               note=f"转{to_agency.name}办理")
        record(actor=actor, action=Action.TRANSFER, obj=enquiry, agency=to_agency, before=before, after=after,
               note=f"由{from_agency.name}转来")
        _notify(enquiry, "您的留言已转办", f"{from_agency.name}已将您的留言“{enquiry.subject}”转{to_agency.name}办理。")
    return enquiry


FAQ_SNAPSHOT = ["question", "answer", "source", "added_on"]


def _faq_texts(question, answer) -> tuple[str, str]:
    """The two texts of an FAQ entry, cleaned; personal details the screening finds are refused, not
    published (条例第15条: personal information is not disclosed)."""
    question = clean_text(question, field="question", label="问题", longest=300)
    answer = clean_text(answer, field="faq_answer", label="解答", longest=5000)
    for field, label, value in (("question", "问题", question), ("faq_answer", "解答", answer)):
        found = scan(value, today=timezone.localdate())
        if found:
            kinds = "、".join(sorted({f.label for f in found}))
            raise ServiceError("FAQ_PERSONAL_DATA", f"“{label}”中含有个人信息（{kinds}），请删除后再保存常见问题。",
                               field=field)
    return question, answer


def faq_add(*, actor, enquiry, question: str, answer: str) -> Faq:
    """Turn an answered message into a 常见问题 entry. The texts are edited by staff; personal details
    the screening finds (id numbers, phones, e-mails, names) are refused, not published (条例第15条)."""
    access.require(actor, Perm.ANSWER_ENQUIRIES, enquiry.agency)
    if Enquiry.objects.filter(pk=enquiry.pk).values_list("status", flat=True).get() != Status.ANSWERED:
        raise ServiceError("ENQUIRY_NOT_ANSWERED", "只有已答复的留言可以加入常见问题。")
    question, answer = _faq_texts(question, answer)
    with transaction.atomic():
        faq = Faq.objects.create(agency=enquiry.agency, question=question, answer=answer, source=enquiry,
                                 added_on=timezone.localdate(), added_by=actor)
        record(actor=actor, action=Action.FAQ_ADD, obj=faq, agency=enquiry.agency,
               after={"question": question, "source": enquiry.tracking_code})
    return faq


def faq_update(*, actor, faq, question: str, answer: str) -> Faq:
    """Correct an FAQ entry's question or answer, screened as when it was added."""
    access.require(actor, Perm.ANSWER_ENQUIRIES, faq.agency)
    question, answer = _faq_texts(question, answer)
    with transaction.atomic():
        faq = Faq.objects.select_for_update().get(pk=faq.pk)
        before = snapshot(faq, FAQ_SNAPSHOT)
        if (faq.question, faq.answer) == (question, answer):
            raise ServiceError("FAQ_UNCHANGED", "问题和解答都没有改动。")
        faq.question, faq.answer = question, answer
        faq.save(update_fields=["question", "answer"])
        record(actor=actor, action=Action.FAQ_UPDATE, obj=faq, agency=faq.agency, before=before,
               after=snapshot(faq, FAQ_SNAPSHOT))
    return faq


def faq_remove(*, actor, faq, reason: str) -> None:
    """Take an FAQ entry off the public list (outdated, wrong). The audit row keeps its texts and the
    reason, so what was published stays on record."""
    access.require(actor, Perm.ANSWER_ENQUIRIES, faq.agency)
    reason = clean_text(reason, field="reason", label="删除理由", longest=500)
    with transaction.atomic():
        faq = Faq.objects.select_for_update().get(pk=faq.pk)
        # Recorded before the delete: the row still has its id for the audit entry.
        record(actor=actor, action=Action.FAQ_REMOVE, obj=faq, agency=faq.agency,
               before=snapshot(faq, FAQ_SNAPSHOT), after=None, note=reason)
        faq.delete()


def convert(*, actor, enquiry, data: dict):
    """A message that is really a 政府信息公开申请 becomes one, through the applications' own
    registration (intake.register: its checks, receipt letter and clock). 第31条: the request counts
    as received when the agency received it, so received_on is the day the message reached this
    agency (its receipt, or the transfer day). ``data``: the applicant details staff completed
    (证件 etc.); name, contact and description default to the message's.

    Returns (application, secret); the asker is told the new code on the tracking page and, with an
    e-mail address, the code and secret by mail."""
    access.require(actor, Perm.ANSWER_ENQUIRIES, enquiry.agency)
    with transaction.atomic():
        enquiry = _locked(enquiry)
        _require_open(enquiry)
        before = snapshot(enquiry, SNAPSHOT)
        details = {"applicant_name": enquiry.name, "phone": enquiry.phone, "email": enquiry.email,
                   "description": f"{enquiry.subject}\n{enquiry.body}", **{k: v for k, v in data.items() if v}}
        application, secret = intake.register(actor=actor, agency=enquiry.agency, data=details,
                                              channel=APPLICATION_CHANNEL[enquiry.channel], received_on=enquiry.clock_from)
        enquiry.status, enquiry.application = Status.CONVERTED, application
        enquiry.answered_on, enquiry.answered_by = timezone.localdate(), actor
        enquiry.save()
        record(actor=actor, action=Action.ENQUIRY_CONVERT, obj=enquiry, agency=enquiry.agency, before=before,
               after=snapshot(enquiry, SNAPSHOT), note=f"转为政府信息公开申请（查询码 {application.tracking_code}）")
        if enquiry.email:
            mailing.queue_message(
                enquiry.email, f"您的留言已转为政府信息公开申请（查询码 {application.tracking_code}）",
                f"{enquiry.name}：\n\n您的留言“{enquiry.subject}”（查询码 {enquiry.tracking_code}）属于政府信息公开申请，"
                f"{enquiry.agency.name}已按申请办理，收到申请日期为{application.received_on:%Y年%m月%d日}。\n"
                f"申请查询码：{application.tracking_code}\n查询密码：{secret}\n答复期限：{application.due_on:%Y年%m月%d日}")
    return application, secret
