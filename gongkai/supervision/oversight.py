"""Oversight of subordinate agencies: which offices a person supervises, their cases with clocks,
and the 督办 a superior office sends on one case.

A supervising office is an agency whose work a person oversees together with everything below it:
one where they hold 监督 (a tree role, so also held at an ancestor), or a 人民政府 where they are the
工作机构管理员 (the 政务公开办 of a government oversees its departments and townships, 条例第4条:
the 政府信息公开工作主管部门 "对本行政区域的政府信息公开工作进行指导和监督").
Applicants' personal data stays hidden here: the list reads no encrypted column, and a full view
goes through applications.intake.reveal_personal_data, which only the agency's own head passes.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from gongkai.applications.clock import working_days_left
from gongkai.applications.models import Application, Status
from gongkai.audit.models import Action
from gongkai.audit.services import record, snapshot
from gongkai.errors import PermissionDeniedError, ServiceError
from gongkai.orgs import access
from gongkai.orgs.models import Agency, AgencyKind
from gongkai.orgs.roles import Perm, Role
from gongkai.supervision.models import Urge
from gongkai.workdays.calendar import WorkdayCalendar

URGE_NOTE_MAX = 300


def may_oversee(user, office: Agency) -> bool:
    """Whether ``user`` oversees ``office`` and the agencies below it."""
    if access.is_system_admin(user):
        return True
    roles = access.roles_in(user, office)
    return Role.SUPERVISOR in roles or (office.kind == AgencyKind.GOVERNMENT and Role.OFFICE_ADMIN in roles)


def require_oversee(user, office: Agency) -> None:
    if not may_oversee(user, office):
        raise PermissionDeniedError(f"您不是“{office.name}”的监督机构，不能查看其下级机关的办理情况。")


def subordinate_agencies(office: Agency):
    """Every agency below ``office`` (not the office itself)."""
    return Agency.objects.filter(path__startswith=office.path).exclude(pk=office.pk)


def offices_of(user) -> list[Agency]:
    """The agencies ``user`` may supervise from: each heads a list of its subordinates."""
    candidates = access.agencies_visible_to(user).select_related("area")
    return [agency for agency in candidates if may_oversee(user, agency) and subordinate_agencies(agency).exists()]


@dataclass(frozen=True)
class CaseFilter:
    agency_code: str = ""
    state: str = ""  # "" (open), "overdue", "due_soon", "closed", "all"
    max_days_left: int | None = None  # open cases with at most this many working days left (negative: overdue by)


@dataclass(frozen=True)
class CaseRow:
    application: Application
    agency_name: str
    days_left: int | None  # working days; negative when overdue, None while the clock is stopped
    urged: bool

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0


DUE_SOON_WORKING_DAYS = 5
LIST_FIELDS = ("id", "agency_id", "tracking_code", "applicant_type", "description", "received_on", "due_on",
               "clock_state", "status", "supervised", "replied_on", "closed_on")


def cases(user, office: Agency, *, filters: CaseFilter = CaseFilter(), today: dt.date | None = None,
          calendar: WorkdayCalendar | None = None, limit: int = 500) -> list[CaseRow]:
    """The subordinate agencies' applications with their clocks, most urgent first."""
    require_oversee(user, office)
    today = today or timezone.localdate()
    calendar = calendar or WorkdayCalendar.load()
    agencies = {a.pk: a for a in subordinate_agencies(office).only("pk", "name", "code")}
    chosen = agencies.values()
    if filters.agency_code:
        chosen = [a for a in chosen if a.code == filters.agency_code.upper()]
        if not chosen:
            raise ServiceError("AGENCY_NOT_SUBORDINATE", f"“{filters.agency_code}”不是本机关的下级机关。", field="agency")
    qs = Application.objects.filter(agency_id__in=[a.pk for a in chosen]).only(*LIST_FIELDS)
    if filters.state == "closed":
        qs = qs.filter(open_case=0)
    elif filters.state != "all":
        qs = qs.filter(open_case=1)
        if filters.state == "overdue":
            qs = qs.filter(due_on__lt=today, clock_state__in=["running", "fixed"])
        elif filters.state == "due_soon":
            horizon = calendar.add_working_days(today, DUE_SOON_WORKING_DAYS).due
            qs = qs.filter(due_on__gte=today, due_on__lte=horizon, clock_state__in=["running", "fixed"])
    urged = set(Urge.objects.filter(application__in=qs.values("pk")).values_list("application_id", flat=True))
    rows = []
    for application in qs.order_by("due_on", "received_on", "id")[:limit]:
        left = None
        if application.is_open and application.due_on and application.clock_state in ("running", "fixed"):
            left = working_days_left(application.due_on, today, calendar)
        if filters.max_days_left is not None and (left is None or left > filters.max_days_left):
            continue
        rows.append(CaseRow(application, agencies[application.agency_id].name, left, application.pk in urged))
    # Overdue first (most overdue at the top), then by days left, then cases whose clock is stopped.
    rows.sort(key=lambda r: (r.days_left is None, r.days_left if r.days_left is not None else 0))
    return rows


def case_for(user, office: Agency, application_id: int) -> Application:
    """One subordinate agency's application, if ``user`` oversees ``office``."""
    require_oversee(user, office)
    application = (Application.objects.select_related("agency").defer("id_number", "phone", "address")
                   .filter(pk=application_id, agency__in=subordinate_agencies(office)).first())
    if application is None:
        raise ServiceError("APPLICATION_NOT_FOUND", "找不到该申请，或它不属于本机关的下级机关。")
    return application


def _urge_snapshot(urge: Urge) -> dict:
    return snapshot(urge, ["application", "office", "note", "read_by", "read_at"])


def urge_issue(*, actor, office: Agency, application: Application, note: str) -> Urge:
    """督办: the superior office presses the agency handling ``application``."""
    require_oversee(actor, office)
    if not subordinate_agencies(office).filter(pk=application.agency_id).exists():
        raise PermissionDeniedError("只能督办本机关下级机关的申请。")
    note = (note or "").strip()
    if not note:
        raise ServiceError("URGE_NOTE_REQUIRED", "请填写督办意见，说明要求对方做什么、何时前完成。", field="note")
    if len(note) > URGE_NOTE_MAX:
        raise ServiceError("URGE_NOTE_TOO_LONG", f"督办意见不能超过{URGE_NOTE_MAX}字。", field="note")
    if application.status not in (Status.RECEIVED, Status.IN_PROGRESS, Status.AWAITING_CORRECTION, Status.CONSULTING,
                                  Status.AWAITING_FEE):
        raise ServiceError("APPLICATION_CLOSED", "该申请已办结，无需督办。")
    with transaction.atomic():
        urge = Urge.objects.create(application=application, office=office, note=note, issued_by=actor)
        record(actor=actor, action=Action.URGE_ISSUE, obj=urge, agency=application.agency, after=_urge_snapshot(urge),
               note=f"{office.name}督办申请{application.tracking_code}")
    return urge


def urges_received(agency: Agency):
    """The 督办 sent to ``agency``, unread first."""
    return (Urge.objects.filter(application__agency=agency).select_related("application", "office", "read_by")
            .order_by("read_at", "-issued_at"))


def urge_read(*, actor, urge: Urge) -> Urge:
    """签收: someone who handles the agency's applications confirms they have read the 督办.
    The office sees who read it and when; reading twice keeps the first reading."""
    agency = urge.application.agency
    access.require(actor, Perm.HANDLE_APPLICATIONS, agency)
    with transaction.atomic():
        urge = Urge.objects.select_for_update().get(pk=urge.pk)
        if urge.read_at is not None:
            return urge
        before = _urge_snapshot(urge)
        urge.read_by, urge.read_at = actor, timezone.now()
        urge.save(update_fields=["read_by", "read_at"])
        record(actor=actor, action=Action.URGE_READ, obj=urge, agency=agency, before=before,
               after=_urge_snapshot(urge), note="签收上级督办")
    return urge
