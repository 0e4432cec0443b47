"""Publishing an accepted annual report, and correcting a published one with a new version.

A published version is frozen: its figures, its text and the PDF and Word files made from them at
publication. A correction reopens the working copy with a note; publishing it again adds version
n+1 whose change note lists every cell and section that differs from version n.
"""

import copy

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from gongkai.audit.models import Action
from gongkai.errors import ServiceError
from gongkai.orgs.roles import Perm
from gongkai.reports.computation import schema
from gongkai.reports.filing.filing import (
    _audit,
    _locked,
    _require,
    _snapshot,
    narrative_leftovers,
    publish_deadline,
)
from gongkai.reports.models import AnnualReport, ReportStatus, ReportVersion
from gongkai.reports.rendering.formats import render

# Keys of the working copy that are for staff only and never published.
INTERNAL_KEYS = ("notes", "dated")
TABLE_SECTIONS = ("active", "requests", "review_litigation")


def public_data(data: dict) -> dict:
    return {k: copy.deepcopy(v) for k, v in data.items() if k not in INTERNAL_KEYS}


def describe_changes(old: dict, new: dict) -> list[str]:
    """What a correction changed, in words: each differing cell and each rewritten section."""
    lines = []
    for section in TABLE_SECTIONS:
        rows = list((old.get(section) or {}).keys()) + [r for r in (new.get(section) or {}) if r not in
                                                         (old.get(section) or {})]
        for row in rows:
            before, after = (old.get(section) or {}).get(row) or {}, (new.get(section) or {}).get(row) or {}
            for column in list(before) + [c for c in after if c not in before]:
                if before.get(column) != after.get(column):
                    lines.append(f"{schema.row_label(row)}“{schema.column_label(row, column)}”由"
                                 f"{_shown(before.get(column))}改为{_shown(after.get(column))}")
    old_text, new_text = old.get("narrative") or {}, new.get("narrative") or {}
    for number in schema.NARRATIVE_SECTIONS:
        if (old_text.get(number) or "") != (new_text.get(number) or ""):
            lines.append(f"第{number}部分文字有修改")
    return lines


def _shown(value) -> str:
    return "空白" if value is None else str(value)


def publish(*, actor, report: AnnualReport) -> ReportVersion:
    """Publish the accepted report on the portal as version n+1 with its PDF and DOCX."""
    _require(actor, Perm.APPROVE_REPORT, report)
    if report.agency_id is None:
        raise ServiceError("REPORT_EXTERNAL_NOT_PUBLISHED",
                           "未在本平台的机关的报告由该机关自行公布，本平台只作报送审核记录。")
    if report.status != ReportStatus.ACCEPTED:
        raise ServiceError("REPORT_STATE_CHANGED",
                           f"该报告当前状态为“{report.get_status_display()}”，上级审核通过后才能发布。")
    data = public_data(report.data)
    leftover = narrative_leftovers(data)
    if leftover is not None:  # checked at filing too; text can be changed by a correction since
        raise leftover
    # The date printed under the agency at the end of the report: the day it is published.
    printed = {**data, "dated": timezone.localdate().isoformat()}
    # Rendering takes a second or more: done before the write transaction, from the accepted
    # figures, which cannot change while the report is accepted (checked again under the lock).
    pdf, docx = render(printed, "pdf"), render(printed, "docx")
    with transaction.atomic():
        current = _locked(report, ReportStatus.ACCEPTED)
        if public_data(current.data) != data:
            raise ServiceError("REPORT_STATE_CHANGED", "报告内容在发布过程中发生了变化，请刷新页面后重试。")
        previous = current.versions.order_by("-number").first()
        changes = describe_changes(previous.data, data) if previous else []
        if previous is not None and not changes:
            raise ServiceError("REPORT_CORRECTION_EMPTY", "更正版本与已发布版本内容相同，无需重新发布。")
        now = timezone.now()
        number = previous.number + 1 if previous else 1
        version = ReportVersion(
            report=current, number=number, data=printed, published_at=now, published_by=actor,
            published_late=timezone.localdate(now) > publish_deadline(current),
            change_note="\n".join(([current.correction_note] if current.correction_note else []) + changes),
        )
        base = f"{current.agency_name}{current.year}年政府信息公开工作年度报告-第{number}版"
        version.pdf.save(f"{base}.pdf", ContentFile(pdf), save=False)
        version.docx.save(f"{base}.docx", ContentFile(docx), save=False)
        version.save()
        before = _snapshot(current)
        current.status, current.correction_note = ReportStatus.PUBLISHED, ""
        current.save(update_fields=["status", "correction_note", "updated_at"])
        note = f"发布第{number}版" + ("（逾期发布）" if version.published_late else "")
        _audit(actor, current, Action.PUBLISH, before, note=note)
    return version


def start_correction(*, actor, report: AnnualReport, note: str) -> AnnualReport:
    """Reopen a published report for a correction; the published version stays online meanwhile."""
    _require(actor, Perm.APPROVE_REPORT, report)
    note = (note or "").strip()
    if not note:
        raise ServiceError("REPORT_CORRECTION_NOTE_REQUIRED", "请写明更正原因，更正版本发布时将一并公布。", field="note")
    if len(note) > 500:
        raise ServiceError("REPORT_CORRECTION_NOTE_TOO_LONG", "更正原因不超过500字。", field="note")
    with transaction.atomic():
        current = _locked(report, ReportStatus.PUBLISHED)
        before = _snapshot(current)
        current.status, current.correction_note = ReportStatus.DRAFT, note
        current.save(update_fields=["status", "correction_note", "updated_at"])
        _audit(actor, current, Action.REPORT_CORRECTION, before, note=f"开始编制更正版本：{note}")
    return current


def published_versions(agency=None):
    """Latest published version of every report (of one agency), newest year first."""
    qs = ReportVersion.objects.select_related("report", "report__agency").order_by("-report__year", "-number")
    if agency is not None:
        qs = qs.filter(report__agency=agency)
    latest, seen = [], set()
    for version in qs:
        if version.report_id not in seen:
            seen.add(version.report_id)
            latest.append(version)
    return latest
