"""Work plans (工作要点 任务分解, spec supervision.md §7): import and export the 任务分解表, progress
reports by the responsible units, review by the office or the lead unit, overdue tasks.

The 分解表 layout: 序号 | 工作任务 | 工作要求 | 牵头单位 | 责任单位 | 完成时限, one header row. Units are
named as the platform names them (full name or 简称), several separated by 、 or ，. Older plans
name the units in the task text as 「（XX负责落实）」; with the 责任单位 cell blank that tag is used.
完成时限 is a date (2026-06-30, 2026年6月30日), 「6月底前」, 「年底前」 or 「持续推进」.
"""

import calendar as month_calendar
import datetime as dt
import re
import zipfile
from io import BytesIO

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from gongkai.audit.models import Action
from gongkai.audit.services import record, snapshot
from gongkai.errors import PermissionDeniedError, ServiceError
from gongkai.orgs import access
from gongkai.orgs.models import Agency
from gongkai.orgs.roles import Perm
from gongkai.supervision.export import safe
from gongkai.supervision.models import DeadlineKind, PlanTask, ReportState, TaskReport, WorkPlan
from gongkai.supervision.oversight import require_oversee

HEADERS = ["序号", "工作任务", "工作要求", "牵头单位", "责任单位", "完成时限"]
MAX_ROWS = 2000
UNIT_SPLIT = re.compile(r"[、，,；;\s]+")
TAG = re.compile(r"[（(]([^（）()]+?)负责落实[）)]")
FULL_DATE = re.compile(r"^(\d{4})[-年/.](\d{1,2})[-月/.](\d{1,2})日?$")
MONTH_END = re.compile(r"^(?:(\d{4})年)?(\d{1,2})月(?:底|末)前?$")


def parse_deadline(text: str, year: int) -> tuple[str, dt.date | None]:
    """(kind, date) of a 完成时限 cell; ValueError when it is none of the accepted forms."""
    text = (text or "").strip().replace(" ", "")
    if text in ("持续推进", "长期坚持", "持续"):
        return DeadlineKind.ONGOING, None
    if text in ("年底前", "年内", "年底"):
        return DeadlineKind.YEAR_END, dt.date(year, 12, 31)
    if match := FULL_DATE.match(text):
        return DeadlineKind.DATE, dt.date(*(int(g) for g in match.groups()))
    if match := MONTH_END.match(text):
        y, m = int(match.group(1) or year), int(match.group(2))
        return DeadlineKind.DATE, dt.date(y, m, month_calendar.monthrange(y, m)[1])
    raise ValueError(text)


def _units(office: Agency) -> dict[str, Agency]:
    names = {}
    for agency in Agency.objects.filter(path__startswith=office.path):
        names[agency.name] = agency
        if agency.short_name:
            names[agency.short_name] = agency
    return names


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def plan_import(*, actor, office: Agency, year: int, title: str, content: bytes, item=None) -> WorkPlan:
    """Create a work plan from a 任务分解表; every row is checked first and nothing is stored if one is wrong."""
    require_oversee(actor, office)
    title = (title or "").strip()
    if not title:
        raise ServiceError("TITLE_REQUIRED", "请填写工作要点名称。", field="title")
    try:
        sheet = load_workbook(BytesIO(content), read_only=True, data_only=True).worksheets[0]
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError):
        raise ServiceError("FILE_INVALID", "无法读取该文件，请上传 Excel（.xlsx）格式的任务分解表。", field="file") from None
    rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    rows = [row + [""] * (6 - len(row)) for row in rows if any(row)]
    if not rows or rows[0][:6] != HEADERS:
        raise ServiceError("HEADER_INVALID", f"第一行应为表头：{'、'.join(HEADERS)}。", field="file")
    if len(rows) - 1 > MAX_ROWS:
        raise ServiceError("TOO_MANY_ROWS", f"一次最多导入{MAX_ROWS}项任务。", field="file")
    units = _units(office)
    parsed, numbers = [], set()
    for line, row in enumerate(rows[1:], start=2):
        number, task, requirement, lead_name, responsible_names, deadline_text = row[:6]
        where = f"第{line}行"
        if not number.isdigit() or int(number) in numbers:
            raise ServiceError("ROW_INVALID", f"{where}：序号应为不重复的正整数。", field="file")
        if not task:
            raise ServiceError("ROW_INVALID", f"{where}：工作任务不能为空。", field="file")
        names = [n for n in UNIT_SPLIT.split(responsible_names) if n] or [
            n for tag in TAG.findall(task) for n in UNIT_SPLIT.split(tag) if n]
        if not names:
            raise ServiceError("ROW_INVALID", f"{where}：请填写责任单位。", field="file")
        unknown = [n for n in names + ([lead_name] if lead_name else []) if n not in units]
        if unknown:
            raise ServiceError("UNIT_UNKNOWN", f"{where}：“{unknown[0]}”不是本机关或其下级机关的名称或简称。", field="file")
        try:
            kind, deadline = parse_deadline(deadline_text, year)
        except ValueError:
            raise ServiceError("DEADLINE_INVALID", f"{where}：完成时限“{deadline_text}”应为日期（如2026年6月30日）、"
                                                   "“6月底前”、“年底前”或“持续推进”。", field="file") from None
        numbers.add(int(number))
        parsed.append((int(number), task, requirement, units.get(lead_name), [units[n] for n in names], kind, deadline,
                       deadline_text or "持续推进"))
    with transaction.atomic():
        plan = WorkPlan.objects.create(office=office, year=year, title=title, item=item, created_by=actor)
        for number, task, requirement, lead, responsible, kind, deadline, text in parsed:
            row = PlanTask.objects.create(plan=plan, number=number, task=task, requirement=requirement, lead=lead,
                                          deadline_kind=kind, deadline=deadline, deadline_text=text)
            row.responsible.set(responsible)
        record(actor=actor, action=Action.PLAN_IMPORT, obj=plan, agency=office, after={"tasks": len(parsed), "year": year},
               note=f"导入任务分解表：{title}")
    return plan


def plan_xlsx(plan: WorkPlan) -> bytes:
    """The plan in the 分解表 layout, with each task's state as a seventh column."""
    book = Workbook()
    sheet = book.active
    sheet.title = "任务分解表"
    sheet.append(HEADERS + ["完成情况"])
    today = timezone.localdate()
    for task in plan.tasks.prefetch_related("responsible").select_related("lead"):
        sheet.append([safe(v) for v in [task.number, task.task, task.requirement, task.lead.name if task.lead else "",
                                        "、".join(a.name for a in task.responsible.all()), task.deadline_text,
                                        task_state(task, today)]])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def task_state(task: PlanTask, today: dt.date) -> str:
    if task.accepted_on:
        return f"已完成（{task.accepted_on:%Y年%m月%d日}验收）"
    if task.deadline and today > task.deadline:
        return "逾期未完成"
    return "持续推进" if task.deadline_kind == DeadlineKind.ONGOING else "推进中"


def overdue_tasks(plan: WorkPlan, today: dt.date):
    """Tasks past their 完成时限 without an accepted report (持续推进 tasks are never overdue)."""
    return plan.tasks.filter(deadline__lt=today, accepted_on__isnull=True)


def task_report(*, actor, task: PlanTask, agency: Agency, text: str, link: str = "", on: dt.date | None = None) -> TaskReport:
    """A responsible unit reports progress (its 工作机构 staff: 维护机构信息 or 起草 in that unit)."""
    if not task.responsible.filter(pk=agency.pk).exists():
        raise ServiceError("NOT_RESPONSIBLE", f"“{agency.name}”不是该任务的责任单位。")
    if not (access.can(actor, Perm.EDIT_AGENCY, agency) or access.can(actor, Perm.DRAFT, agency)):
        raise PermissionDeniedError(f"您不能代表“{agency.name}”报送任务进展。")
    text, link = (text or "").strip(), (link or "").strip()
    if not text:
        raise ServiceError("TEXT_REQUIRED", "请填写进展情况。", field="text")
    if link and not link.startswith(("http://", "https://")):
        raise ServiceError("LINK_INVALID", "相关链接应以 http:// 或 https:// 开头。", field="link")
    with transaction.atomic():
        report = TaskReport.objects.create(task=task, agency=agency, text=text, link=link[:200], submitted_by=actor,
                                           submitted_on=on or timezone.localdate())
        record(actor=actor, action=Action.TASK_REPORT, obj=report, agency=agency,
               after=snapshot(report, ["task", "text", "link", "state"]), note="报送任务进展")
    return report


def may_review(user, task: PlanTask) -> bool:
    from gongkai.supervision.oversight import may_oversee

    return may_oversee(user, task.plan.office) or (task.lead is not None and access.can(user, Perm.EDIT_AGENCY, task.lead))


def report_review(*, actor, report: TaskReport, accept: bool, note: str = "", on: dt.date | None = None) -> TaskReport:
    """The office or the lead unit accepts or returns a report."""
    task = report.task
    if not may_review(actor, task):
        raise PermissionDeniedError("只有发布机关或牵头单位可以审核任务进展。")
    if report.state != ReportState.SUBMITTED:
        raise ServiceError("REPORT_REVIEWED", "该进展已审核。")
    note = (note or "").strip()
    if not accept and not note:
        raise ServiceError("NOTE_REQUIRED", "退回时请写明原因和要求。", field="note")
    on = on or timezone.localdate()
    with transaction.atomic():
        before = snapshot(report, ["state", "review_note"])
        report.state = ReportState.ACCEPTED if accept else ReportState.RETURNED
        report.review_note, report.reviewed_by = note[:300], actor
        report.save(update_fields=["state", "review_note", "reviewed_by"])
        # A task with several 责任单位 is done once every one of them has a report accepted.
        done_by = set(task.reports.filter(state=ReportState.ACCEPTED).values_list("agency_id", flat=True))
        if accept and task.accepted_on is None and done_by >= set(task.responsible.values_list("pk", flat=True)):
            task.accepted_on = on
            task.save(update_fields=["accepted_on"])
        record(actor=actor, action=Action.TASK_REVIEW, obj=report, agency=report.agency, before=before,
               after=snapshot(report, ["state", "review_note"]), note="审核任务进展")
    return report


def tasks_of(agency: Agency):
    """The tasks ``agency`` is responsible for, in every plan."""
    return PlanTask.objects.filter(responsible=agency).select_related("plan", "lead").order_by("-plan__year", "number")


def report_facts(agency: Agency, year: int, *, rollup: bool = False) -> dict:
    """The year's 工作要点 tasks ``agency`` (with its subordinates, for a roll-up) was responsible
    for, as they stood on 31 December, for the annual report's draft (settings.GONGKAI_REPORT_RECORD_SOURCES):
    progress feeds the report's 监督保障 paragraph, and overdue tasks are named for next year's 回头看."""
    end = dt.date(year, 12, 31)
    units = {"responsible__path__startswith": agency.path} if rollup else {"responsible": agency}
    tasks = list(PlanTask.objects.filter(plan__year=year, **units).distinct().select_related("plan")
                 .order_by("plan_id", "number"))
    if not tasks:
        return {}
    done = [t for t in tasks if t.accepted_on and t.accepted_on <= end]
    ongoing = [t for t in tasks if t not in done and t.deadline_kind == DeadlineKind.ONGOING]
    overdue = [t for t in tasks if t not in done and t.deadline and t.deadline <= end]
    return {"plan_tasks": {
        "plans": list(dict.fromkeys(t.plan.title for t in tasks)), "total": len(tasks), "done": len(done),
        "ongoing": len(ongoing), "overdue": [t.task.split("\n")[0][:40].rstrip("。；") for t in overdue],
    }}
