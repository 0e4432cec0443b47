"""The daily monitoring run (电子监察): evaluate every indicator for every active agency, keep the
findings, and tell the responsible staff.

One run is one service call, ``monitor_run``, for cron or a systemd timer through
``gongkai monitor run`` (or a background worker wrapping the same function). A finding is keyed
by (indicator, subject), so running twice on the same day changes nothing the second time; a
finding the rule no longer produces is closed, and reopened if the problem comes back.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongkai.audit.models import Action
from gongkai.audit.services import record, snapshot
from gongkai.errors import PermissionDeniedError
from gongkai.orgs import access
from gongkai.orgs.models import Agency, Membership
from gongkai.orgs.roles import Role
from gongkai.supervision.indicators import INDICATORS, evaluate, veto_notes
from gongkai.supervision.models import Finding, FindingState
from gongkai.supervision.notices import recheck_answered

STATE_FIELDS = ["state", "last_seen", "closed_on", "detail", "times_reopened"]


@dataclass
class RunSummary:
    on: dt.date
    agencies: int = 0
    opened: int = 0
    reopened: int = 0
    closed: int = 0
    still_open: int = 0
    notified: int = 0
    rechecked: int = 0
    new_by_agency: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return {"on": self.on.isoformat(), "agencies": self.agencies, "opened": self.opened, "reopened": self.reopened,
                "closed": self.closed, "still_open": self.still_open, "notified": self.notified,
                "rechecked": self.rechecked}


def window(on: dt.date) -> tuple[dt.date, dt.date]:
    return on - dt.timedelta(days=settings.GONGKAI_MONITOR_WINDOW_DAYS), on


def monitor_run(*, actor=None, on: dt.date | None = None, agencies=None) -> RunSummary:
    """Evaluate the indicators as of ``on`` (today by default) and bring the findings up to date.
    Only the operator (command line) or a system administrator runs it for the platform."""
    if not access.is_system_admin(actor):
        raise PermissionDeniedError("只有系统管理员可以运行电子监察。")
    on = on or timezone.localdate()
    start, end = window(on)
    agencies = list(agencies if agencies is not None else Agency.objects.filter(is_active=True))
    by_id = {a.pk: a for a in agencies}
    summary = RunSummary(on=on, agencies=len(agencies))
    hits = {(h.indicator, h.subject_type, h.subject_id): h for h in evaluate(by_id, start, end)}
    with transaction.atomic():
        existing = {(f.indicator, f.subject_type, f.subject_id): f
                    for f in Finding.objects.select_for_update().filter(agency_id__in=list(by_id),
                                                                        indicator__in=list(INDICATORS))}
        new_by_agency = defaultdict(list)
        for key, hit in hits.items():
            finding = existing.get(key)
            agency = by_id[hit.agency_id]
            if finding is None:
                finding = Finding.objects.create(
                    agency=agency, indicator=hit.indicator, subject_type=hit.subject_type, subject_id=hit.subject_id,
                    subject_repr=hit.subject_repr, detail=hit.detail, occurred_on=hit.occurred_on, first_seen=on,
                    last_seen=on)
                record(actor=actor, action=Action.FINDING_OPEN, obj=finding, agency=agency,
                       after=snapshot(finding, STATE_FIELDS), note=f"电子监察：{INDICATORS[hit.indicator].label}")
                summary.opened += 1
                new_by_agency[hit.agency_id].append(finding)
                continue
            before = snapshot(finding, STATE_FIELDS)
            if finding.state == FindingState.CLOSED:
                finding.state, finding.closed_on = FindingState.OPEN, None
                finding.times_reopened += 1
                action, note = Action.FINDING_REOPEN, "电子监察：问题再次出现"
                summary.reopened += 1
                new_by_agency[hit.agency_id].append(finding)
            else:
                action, note = None, ""
                summary.still_open += 1
            if finding.last_seen == on and action is None and finding.detail == hit.detail:
                continue  # the same run again: nothing changed
            finding.last_seen, finding.detail = max(finding.last_seen, on), hit.detail
            finding.save(update_fields=STATE_FIELDS)
            if action:
                record(actor=actor, action=action, obj=finding, agency=agency, before=before,
                       after=snapshot(finding, STATE_FIELDS), note=note)
        for key, finding in existing.items():
            if key in hits or finding.state == FindingState.CLOSED:
                continue
            before = snapshot(finding, STATE_FIELDS)
            finding.state, finding.closed_on = FindingState.CLOSED, on
            finding.save(update_fields=STATE_FIELDS)
            record(actor=actor, action=Action.FINDING_CLOSE, obj=finding, agency=by_id[finding.agency_id],
                   before=before, after=snapshot(finding, STATE_FIELDS), note="电子监察：问题已消除")
            summary.closed += 1
        summary.rechecked = recheck_answered(actor=actor, on=on, agency_ids=by_id)
        summary.new_by_agency = {by_id[a].name: len(f) for a, f in new_by_agency.items()}
        summary.notified = _notify(new_by_agency, by_id, on)
    return summary


def _notify(new_by_agency, by_id, on) -> int:
    """One message per agency with new findings, to its 工作机构管理员 who have an e-mail address;
    the workspace shows the same findings on the agency's 监察 page. Sent after the commit."""
    from gongkai.applications.mailing import queue_message

    if not new_by_agency:
        return 0
    recipients = defaultdict(set)
    for agency_id, email in Membership.objects.filter(agency_id__in=list(new_by_agency), role=Role.OFFICE_ADMIN,
                                                      user__is_active=True).exclude(user__email="").values_list(
            "agency_id", "user__email"):
        recipients[agency_id].add(email)
    sent = 0
    for agency_id, findings in new_by_agency.items():
        agency = by_id[agency_id]
        lines = [f"{agency.name}：", f"{on.year}年{on.month}月{on.day}日电子监察发现以下问题，请登录工作台查看并整改：", ""]
        lines += [f"- {INDICATORS[f.indicator].label}：{f.subject_repr}，{f.detail}" for f in findings]
        counts = Counter(f.indicator for f in Finding.objects.filter(agency_id=agency_id, state=FindingState.OPEN))
        lines += ["", *veto_notes(counts)]
        for email in sorted(recipients[agency_id]):
            queue_message(email, f"【电子监察】{agency.name}新发现{len(findings)}个问题", "\n".join(lines))
            sent += 1
    return sent


def open_counts(agency_ids) -> dict[int, Counter]:
    """{agency id: Counter(indicator → open findings)}."""
    counts = defaultdict(Counter)
    for agency_id, indicator in Finding.objects.filter(agency_id__in=list(agency_ids), state=FindingState.OPEN).values_list(
            "agency_id", "indicator"):
        counts[agency_id][indicator] += 1
    return counts


def findings_visible_to(user, agency: Agency):
    """An agency's own findings: for its own staff (查看本机构工作) and those who oversee it."""
    access.require(user, "view_work", agency)
    return Finding.objects.filter(agency=agency).order_by("state", "indicator", "-last_seen")
