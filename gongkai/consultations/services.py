"""Every change to a consultation goes through these functions: permission, validation, one
transaction, one audit row (with before/after)."""


from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai import tracking_codes
from gongkai.audit.models import Action
from gongkai.audit.services import record, snapshot
from gongkai.cn_format import cn_date
from gongkai.consultations import rules
from gongkai.consultations.comments import clean_comment
from gongkai.consultations.models import (
    Channel,
    Comment,
    Consultation,
    ConsultationAttachment,
    DecisionCatalogueEntry,
    Disposition,
    Kind,
    Moderation,
    Status,
)
from gongkai.disclosure import attachments as attachment_checks
from gongkai.disclosure.sanitize import clean_body, refuse_active_content
from gongkai.errors import ServiceError
from gongkai.orgs import access
from gongkai.orgs.roles import Perm
from gongkai.pii import mask_all

AUDITED = ["title", "kind", "decision_entry", "starts_on", "ends_on", "short_period_reason", "accepts_online",
           "requires_name", "channel_letter", "channel_email", "channel_meeting", "contact", "status", "opened_on",
           "closed_early_on", "closed_early_reason", "feedback_published_on", "final_item"]
COMMENT_AUDITED = ["receipt_code", "channel", "received_on", "moderation", "hold_reason", "disposition",
                   "disposition_reason"]
TEXT_FIELDS = {"title": ("征集标题", 200), "channel_letter": ("信函地址", 200), "channel_email": ("电子邮箱", 100),
               "contact": ("联系人及电话", 200)}
LONG_TEXT_FIELDS = {"short_period_reason": "缩短期限的理由", "channel_meeting": "座谈会、听证会安排",
                    "explanation": "起草说明"}
PUBLIC_LABEL = "公众（网上）"


def _picture(consultation: Consultation) -> dict:
    picture = snapshot(consultation, AUDITED)
    picture["attachments"] = sorted(consultation.attachments.values_list("original_name", flat=True)) \
        if consultation.pk else []
    return picture


def _locked(consultation: Consultation) -> Consultation:
    return Consultation.objects.select_for_update().select_related("agency").get(pk=consultation.pk)


# --- the decision catalogue -------------------------------------------------------------------

def decision_entry_add(*, actor, agency, year: int, title: str, note: str = "") -> DecisionCatalogueEntry:
    """An item of the agency's yearly 重大行政决策事项目录 (《重大行政决策程序暂行条例》第十条)."""
    access.require(actor, Perm.RUN_CONSULTATIONS, agency)
    title, note = (title or "").strip(), (note or "").strip()
    if not title:
        raise ServiceError("DECISION_TITLE_MISSING", "请填写决策事项名称。", field="title")
    if len(title) > 200:
        raise ServiceError("DECISION_TITLE_TOO_LONG", "决策事项名称不能超过200字。", field="title")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ServiceError("DECISION_YEAR_INVALID", "请填写有效的年度，如2026。", field="year")
    refuse_active_content(title, field="title", label="决策事项")
    refuse_active_content(note, field="note", label="说明")
    if DecisionCatalogueEntry.objects.filter(agency=agency, year=year, title=title).exists():
        raise ServiceError("DECISION_DUPLICATE", f"{year}年目录中已有“{title}”。", field="title")
    with transaction.atomic():
        entry = DecisionCatalogueEntry.objects.create(agency=agency, year=year, title=title, note=note)
        record(actor=actor, action=Action.CREATE, obj=entry, agency=agency, after={"year": year, "title": title})
    return entry


# --- drafting and opening ---------------------------------------------------------------------

def _clean(agency, data: dict) -> dict:
    cleaned = {}
    for name, (label, limit) in TEXT_FIELDS.items():
        value = (data.get(name) or "").strip()
        if len(value) > limit:
            raise ServiceError("FIELD_TOO_LONG", f"“{label}”不能超过{limit}字。", field=name)
        refuse_active_content(value, field=name, label=label)
        cleaned[name] = value
    if not cleaned["title"]:
        raise ServiceError("TITLE_MISSING", "请填写征集标题。", field="title")
    for name, label in LONG_TEXT_FIELDS.items():
        value = (data.get(name) or "").strip()
        refuse_active_content(value, field=name, label=label)
        cleaned[name] = value
    kind = data.get("kind") or Kind.POLICY
    if kind not in Kind.values:
        raise ServiceError("KIND_INVALID", "请选择草案类型。", field="kind")
    entry = data.get("decision_entry")
    if entry is not None and entry.agency_id != agency.pk:
        raise ServiceError("DECISION_ENTRY_INVALID", "只能关联本机关的重大行政决策事项目录。", field="decision_entry")
    if entry is not None and kind != Kind.MAJOR_DECISION:
        raise ServiceError("DECISION_ENTRY_KIND", "关联决策事项目录的征集，草案类型应为“重大行政决策事项”。", field="kind")
    draft_body = data.get("draft_body") or ""
    refuse_active_content(draft_body, field="draft_body", label="草案正文")
    cleaned.update(kind=kind, decision_entry=entry, draft_body=clean_body(draft_body),
                   starts_on=data.get("starts_on"), ends_on=data.get("ends_on"),
                   accepts_online=bool(data.get("accepts_online", True)), requires_name=bool(data.get("requires_name")))
    rules.check_period(kind, cleaned["starts_on"], cleaned["ends_on"], cleaned["short_period_reason"])
    return cleaned


def _store_attachments(consultation, checked) -> None:
    for f in checked:
        stored = ConsultationAttachment(consultation=consultation, original_name=f.name, kind=f.kind,
                                        size=len(f.content), sha256=f.sha256)
        stored.file.save(f.name, ContentFile(f.content), save=False)
        stored.save()


def consultation_create(*, actor, agency, data: dict, files=()) -> Consultation:
    """A draft consultation; nothing is public until consultation_open."""
    access.require(actor, Perm.RUN_CONSULTATIONS, agency)
    cleaned = _clean(agency, data)
    checked = [attachment_checks.check(name, content) for name, content in files]  # virus scan included
    with transaction.atomic():
        consultation = Consultation.objects.create(agency=agency, created_by=actor, **cleaned)
        _store_attachments(consultation, checked)
        record(actor=actor, action=Action.CREATE, obj=consultation, agency=agency, after=_picture(consultation))
    return consultation


def consultation_update(*, actor, consultation, data: dict, files=(), remove_attachments=()) -> Consultation:
    """Edit a draft. Once opened, the draft the public comments on does not change under them."""
    access.require(actor, Perm.RUN_CONSULTATIONS, consultation.agency)
    cleaned = _clean(consultation.agency, data)
    checked = [attachment_checks.check(name, content) for name, content in files]
    with transaction.atomic():
        consultation = _locked(consultation)
        if consultation.status != Status.DRAFT:
            raise ServiceError("CONSULTATION_NOT_DRAFT", "征集已发布，草案和征集期不能再修改。")
        before = _picture(consultation)
        for name, value in cleaned.items():
            setattr(consultation, name, value)
        consultation.save()
        consultation.attachments.filter(pk__in=list(remove_attachments)).delete()
        _store_attachments(consultation, checked)
        record(actor=actor, action=Action.CONSULTATION_UPDATE, obj=consultation, agency=consultation.agency,
               before=before, after=_picture(consultation))
    return consultation


def consultation_open(*, actor, consultation) -> Consultation:
    """Publish the draft for comment. The period rule is checked again: settings may have changed.

    An online consultation must still have days to run; one held offline (letters, meetings) may be
    recorded after its period, to publish its feedback here."""
    access.require(actor, Perm.RUN_CONSULTATIONS, consultation.agency)
    today = timezone.localdate()
    with transaction.atomic():
        consultation = _locked(consultation)
        if consultation.status != Status.DRAFT:
            raise ServiceError("CONSULTATION_ALREADY_OPEN", "该征集已经发布。")
        if not (consultation.draft_body.strip() or consultation.attachments.exists()):
            raise ServiceError("DRAFT_MISSING", "请先填写草案正文或上传草案文件。", field="draft_body")
        rules.check_period(consultation.kind, consultation.starts_on, consultation.ends_on,
                           consultation.short_period_reason)
        if consultation.accepts_online and consultation.ends_on < today:
            raise ServiceError("PERIOD_PASSED", f"征集截止日期（{cn_date(consultation.ends_on)}）已过，请修改征集期后再发布。",
                               field="ends_on")
        before = _picture(consultation)
        consultation.status, consultation.opened_on = Status.OPENED, today
        consultation.save()
        record(actor=actor, action=Action.CONSULTATION_OPEN, obj=consultation, agency=consultation.agency,
               before=before, after=_picture(consultation))
    return consultation


def consultation_close(*, actor, consultation, reason: str) -> Consultation:
    """End an open consultation before its date (the normal end needs nothing: it is the date)."""
    access.require(actor, Perm.RUN_CONSULTATIONS, consultation.agency)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("CLOSE_REASON_MISSING", "提前结束征集须填写理由。", field="reason")
    refuse_active_content(reason, field="reason", label="提前结束理由")
    today = timezone.localdate()
    with transaction.atomic():
        consultation = _locked(consultation)
        if rules.phase(consultation, today) not in (rules.Phase.OPEN, rules.Phase.UPCOMING):
            raise ServiceError("CONSULTATION_NOT_OPEN", "只有正在进行或尚未开始的征集可以提前结束。")
        before = _picture(consultation)
        consultation.closed_early_on, consultation.closed_early_reason = today, reason
        consultation.save()
        record(actor=actor, action=Action.CONSULTATION_CLOSE, obj=consultation, agency=consultation.agency,
               before=before, after=_picture(consultation), note=reason)
    return consultation


# --- comments ----------------------------------------------------------------------------------

def _create_comment(consultation, cleaned: dict, *, channel: str, received_on, actor, label=None) -> Comment:
    for _attempt in range(5):
        try:
            with transaction.atomic():
                comment = Comment.objects.create(consultation=consultation, receipt_code=tracking_codes.new_code(), channel=channel,
                                                 received_on=received_on, **cleaned)
                record(actor=actor, label=label, action=Action.CREATE, obj=comment, agency=consultation.agency,
                       after=snapshot(comment, COMMENT_AUDITED))
            return comment
        except IntegrityError:
            continue  # a receipt code drawn twice: again, with a new one
    raise ServiceError("RECEIPT_CODE_EXHAUSTED", "生成回执码失败，请重试。")


def comment_submit(*, consultation, data: dict) -> Comment:
    """A comment from the public, online, during the period. Returns it with its receipt code."""
    today = timezone.localdate()
    consultation = Consultation.objects.select_related("agency").get(pk=consultation.pk)
    current = rules.phase(consultation, today)
    if not consultation.accepts_online:
        raise ServiceError("ONLINE_NOT_ACCEPTED", "本次征集不接受网上提交，请通过页面所列的信函、电子邮件等渠道反馈意见。")
    if current == rules.Phase.UPCOMING:
        raise ServiceError("CONSULTATION_NOT_STARTED",
                           f"征集尚未开始，请于{cn_date(consultation.starts_on)}起提交意见。")
    if current != rules.Phase.OPEN:
        raise ServiceError("CONSULTATION_CLOSED",
                           f"征集已于{cn_date(consultation.last_day)}结束，不再接收意见。")
    cleaned = clean_comment(data, requires_name=consultation.requires_name)
    return _create_comment(consultation, cleaned, channel=Channel.ONLINE, received_on=today, actor=None,
                           label=PUBLIC_LABEL)


def comment_register(*, actor, consultation, data: dict, channel: str, received_on) -> Comment:
    """Staff record a comment that came by letter, e-mail or at a meeting, within the period."""
    access.require(actor, Perm.RUN_CONSULTATIONS, consultation.agency)
    if channel not in Channel.values or channel == Channel.ONLINE:
        raise ServiceError("CHANNEL_INVALID", "请选择意见的来源渠道（信函、电子邮件或座谈会）。", field="channel")
    if consultation.status == Status.DRAFT:
        raise ServiceError("CONSULTATION_NOT_OPEN", "征集尚未发布。")
    if consultation.status == Status.FEEDBACK_PUBLISHED:
        raise ServiceError("FEEDBACK_ALREADY_PUBLISHED", "采纳情况已发布，不能再登记意见。")
    if received_on is None or not consultation.starts_on <= received_on <= consultation.last_day:
        raise ServiceError("RECEIVED_OUTSIDE_PERIOD",
                           f"收到日期应在征集期内（{cn_date(consultation.starts_on)}至{cn_date(consultation.last_day)}）。",
                           field="received_on")
    if received_on > timezone.localdate():
        raise ServiceError("RECEIVED_IN_FUTURE", "收到日期不能晚于今天。", field="received_on")
    cleaned = clean_comment(data, requires_name=False)
    return _create_comment(consultation, cleaned, channel=channel, received_on=received_on, actor=actor)


def comment_moderate(*, actor, comment, publish: bool, reason: str = "") -> Comment:
    """Publish a comment (its text with personal data masked) or hold it back with a reason."""
    access.require(actor, Perm.RUN_CONSULTATIONS, comment.consultation.agency)
    reason = (reason or "").strip()
    if not publish and not reason:
        raise ServiceError("HOLD_REASON_MISSING", "不予公开须填写理由（如：与征集内容无关、含有人身攻击）。", field="reason")
    refuse_active_content(reason, field="reason", label="不予公开理由")
    with transaction.atomic():
        comment = Comment.objects.select_for_update().select_related("consultation__agency").get(pk=comment.pk)
        if comment.consultation.status == Status.FEEDBACK_PUBLISHED:
            # The published counts were computed from these decisions.
            raise ServiceError("FEEDBACK_ALREADY_PUBLISHED", "采纳情况已发布，意见的审核结果不能再更改。")
        before = snapshot(comment, COMMENT_AUDITED)
        if publish:
            comment.moderation, comment.hold_reason = Moderation.PUBLISHED, ""
            comment.public_body, _findings = mask_all(comment.body)
        else:
            comment.moderation, comment.hold_reason, comment.public_body = Moderation.HELD, reason, ""
        comment.moderated_by, comment.moderated_at = actor, timezone.now()
        comment.save()
        record(actor=actor, action=Action.COMMENT_MODERATE, obj=comment, agency=comment.consultation.agency,
               before=before, after=snapshot(comment, COMMENT_AUDITED), note="公开" if publish else f"不予公开：{reason}")
    return comment


# --- 采纳情况反馈 -----------------------------------------------------------------------------

def _apply_dispositions(consultation, dispositions: dict) -> list[tuple[Comment, dict, dict]]:
    """Set each comment's disposition; returns (comment, before, after) of those that changed."""
    changed = []
    comments = {c.pk: c for c in consultation.comments.select_for_update()}
    for comment_id, (disposition, reason) in dispositions.items():
        comment = comments.get(int(comment_id))
        if comment is None:
            raise ServiceError("COMMENT_UNKNOWN", "提交的意见不属于本次征集。")
        disposition, reason = disposition or "", (reason or "").strip()
        if disposition and disposition not in Disposition.values:
            raise ServiceError("DISPOSITION_INVALID", f"意见 {comment.receipt_code} 的采纳情况无效。")
        refuse_active_content(reason, field="dispositions", label="采纳情况说明")
        if (disposition, reason) == (comment.disposition, comment.disposition_reason):
            continue
        before = snapshot(comment, COMMENT_AUDITED)
        comment.disposition, comment.disposition_reason = disposition, reason
        comment.save(update_fields=["disposition", "disposition_reason"])
        changed.append((comment, before, snapshot(comment, COMMENT_AUDITED)))
    return changed


def _feedback_locked(actor, consultation) -> Consultation:
    access.require(actor, Perm.RUN_CONSULTATIONS, consultation.agency)
    consultation = _locked(consultation)
    current = rules.phase(consultation, timezone.localdate())
    if current == rules.Phase.FEEDBACK:
        raise ServiceError("FEEDBACK_ALREADY_PUBLISHED", "采纳情况已经发布。")
    if current != rules.Phase.CLOSED:
        raise ServiceError("CONSULTATION_NOT_CLOSED", "征集期结束后才能处理采纳情况。")
    return consultation


def feedback_save(*, actor, consultation, summary: str, dispositions: dict) -> Consultation:
    """Work on the feedback without publishing it: the summary and each comment's disposition
    (``dispositions``: comment id -> (disposition, reason))."""
    summary = (summary or "").strip()
    refuse_active_content(summary, field="summary", label="采纳情况说明")
    with transaction.atomic():
        consultation = _feedback_locked(actor, consultation)
        before = {"feedback_summary": consultation.feedback_summary}
        consultation.feedback_summary = summary
        consultation.save(update_fields=["feedback_summary", "updated_at"])
        for comment, was, now in _apply_dispositions(consultation, dispositions):
            record(actor=actor, action=Action.COMMENT_DISPOSE, obj=comment, agency=consultation.agency, before=was, after=now)
        record(actor=actor, action=Action.FEEDBACK_SAVE, obj=consultation, agency=consultation.agency, before=before,
               after={"feedback_summary": summary})
    return consultation


def feedback_publish(*, actor, consultation, summary: str, dispositions: dict) -> Consultation:
    """Publish 采纳情况反馈: every comment not held back has a disposition, every one not (fully)
    adopted says why, and the summary is written."""
    summary = (summary or "").strip()
    if not summary:
        raise ServiceError("FEEDBACK_SUMMARY_MISSING", "请填写采纳情况总体说明。", field="summary")
    refuse_active_content(summary, field="summary", label="采纳情况说明")
    with transaction.atomic():
        consultation = _feedback_locked(actor, consultation)
        changed = _apply_dispositions(consultation, dispositions)
        pending = consultation.comments.filter(moderation=Moderation.PENDING).count()
        if pending:
            raise ServiceError("COMMENTS_PENDING", f"还有{pending}条意见未审核，请先公开或不予公开。")
        for comment in consultation.comments.exclude(moderation=Moderation.HELD):
            if not comment.disposition:
                raise ServiceError("DISPOSITION_MISSING", f"请填写意见 {comment.receipt_code} 的采纳情况。",
                                   field="dispositions")
            if comment.disposition != Disposition.ADOPTED and not comment.disposition_reason:
                raise ServiceError("DISPOSITION_REASON_MISSING",
                                   f"意见 {comment.receipt_code} {comment.get_disposition_display()}，请说明理由。",
                                   field="dispositions")
        before = _picture(consultation)
        consultation.feedback_summary = summary
        consultation.status, consultation.feedback_published_on = Status.FEEDBACK_PUBLISHED, timezone.localdate()
        consultation.save()
        for comment, was, now in changed:
            record(actor=actor, action=Action.COMMENT_DISPOSE, obj=comment, agency=consultation.agency, before=was, after=now)
        record(actor=actor, action=Action.FEEDBACK_PUBLISH, obj=consultation, agency=consultation.agency,
               before=before, after=_picture(consultation))
    return consultation


def final_item_link(*, actor, consultation, item) -> Consultation:
    """Link the document finally adopted (a published item of the same agency); both pages show the link."""
    access.require(actor, Perm.RUN_CONSULTATIONS, consultation.agency)
    if item is not None and (item.agency_id != consultation.agency_id or not item.is_public):
        raise ServiceError("FINAL_ITEM_INVALID", "请选择本机关已主动公开的正式文件。", field="final_item")
    with transaction.atomic():
        consultation = _locked(consultation)
        if consultation.status == Status.DRAFT:
            raise ServiceError("CONSULTATION_NOT_OPEN", "征集尚未发布。")
        before = _picture(consultation)
        consultation.final_item = item
        consultation.save(update_fields=["final_item", "updated_at"])
        record(actor=actor, action=Action.FINAL_ITEM_LINK, obj=consultation, agency=consultation.agency,
               before=before, after=_picture(consultation))
    return consultation
