"""通报 and 整改 (spec supervision.md §7): the office names each unit's problems with a deadline,
each unit reports what it changed, and the next monitoring run re-checks: the problem's finding
closed → 已整改, still open → 仍存在. Units that did not answer by the deadline are listed."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from gongkai.audit.models import Action
from gongkai.audit.services import record, snapshot
from gongkai.errors import ServiceError
from gongkai.orgs import access
from gongkai.orgs.models import Agency
from gongkai.orgs.roles import Perm
from gongkai.supervision.indicators import INDICATORS
from gongkai.supervision.models import FindingState, Notice, NoticeItem, Recheck
from gongkai.supervision.oversight import require_oversee, subordinate_agencies

ANSWER_MAX = 2000


def notice_issue(*, actor, office: Agency, title: str, rectify_by: dt.date, findings, on: dt.date | None = None) -> Notice:
    """A 通报 naming open findings of subordinate agencies, each to be rectified by ``rectify_by``."""
    require_oversee(actor, office)
    on = on or timezone.localdate()
    title = (title or "").strip()
    if not title:
        raise ServiceError("TITLE_REQUIRED", "请填写通报标题。", field="title")
    if rectify_by <= on:
        raise ServiceError("RECTIFY_BY_INVALID", "整改期限应晚于通报日期。", field="rectify_by")
    findings = list(findings)
    if not findings:
        raise ServiceError("FINDINGS_REQUIRED", "请至少选择一个问题。", field="findings")
    below = set(subordinate_agencies(office).values_list("pk", flat=True))
    for finding in findings:
        if finding.agency_id not in below:
            raise ServiceError("AGENCY_NOT_SUBORDINATE", "只能通报本机关下级机关的问题。", field="findings")
        if finding.state != FindingState.OPEN:
            raise ServiceError("FINDING_CLOSED", f"问题“{finding.detail}”已消除，无需通报。", field="findings")
    with transaction.atomic():
        notice = Notice.objects.create(office=office, title=title, issued_on=on, rectify_by=rectify_by, created_by=actor)
        NoticeItem.objects.bulk_create([
            NoticeItem(notice=notice, agency_id=f.agency_id, finding=f,
                       problem=f"{INDICATORS[f.indicator].label if f.indicator in INDICATORS else f.indicator}："
                               f"{f.subject_repr}，{f.detail}"[:500]) for f in findings])
        record(actor=actor, action=Action.NOTICE_ISSUE, obj=notice, agency=office,
               after={"items": len(findings), "rectify_by": rectify_by.isoformat()}, note=f"发出通报：{title}")
    return notice


def notice_answer(*, actor, item: NoticeItem, text: str, on: dt.date | None = None) -> NoticeItem:
    """The unit reports what it changed; the next monitoring run re-checks the problem."""
    access.require(actor, Perm.EDIT_AGENCY, item.agency)
    text = (text or "").strip()
    if not text or len(text) > ANSWER_MAX:
        raise ServiceError("ANSWER_INVALID", f"请填写整改情况（不超过{ANSWER_MAX}字）。", field="text")
    with transaction.atomic():
        before = snapshot(item, ["answer", "answered_on", "recheck"])
        item.answer, item.answered_on, item.answered_by = text, on or timezone.localdate(), actor
        item.recheck, item.rechecked_on = Recheck.PENDING, None
        item.save(update_fields=["answer", "answered_on", "answered_by", "recheck", "rechecked_on"])
        record(actor=actor, action=Action.NOTICE_ANSWER, obj=item, agency=item.agency, before=before,
               after=snapshot(item, ["answer", "answered_on", "recheck"]), note="报送整改情况")
    return item


def recheck_answered(*, actor, on: dt.date, agency_ids) -> int:
    """Called by the monitoring run after it updated the findings: every answered item not yet
    re-checked gets the verdict of its finding. Returns how many were re-checked."""
    items = NoticeItem.objects.filter(agency_id__in=list(agency_ids), answered_on__isnull=False,
                                      answered_on__lte=on, recheck=Recheck.PENDING).select_related("finding", "agency")
    count = 0
    for item in items:
        before = snapshot(item, ["recheck", "rechecked_on"])
        item.recheck = Recheck.FIXED if item.finding.state == FindingState.CLOSED else Recheck.REOPENED
        item.rechecked_on = on
        item.save(update_fields=["recheck", "rechecked_on"])
        record(actor=actor, action=Action.NOTICE_RECHECK, obj=item, agency=item.agency, before=before,
               after=snapshot(item, ["recheck", "rechecked_on"]), note=f"整改复查：{item.get_recheck_display()}")
        count += 1
    return count


def unanswered(notice: Notice, today: dt.date):
    """Items whose unit has not reported by the deadline (listed in the follow-up)."""
    if today <= notice.rectify_by:
        return NoticeItem.objects.none()
    return notice.items.filter(answered_on__isnull=True).select_related("agency")
