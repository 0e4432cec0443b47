"""回头看: last year's 工作要点 tasks that did not end well, and what happened to them since.

The office starts next year's plan by looking back (spec supervision.md §7): every task of a
year's plans that was not accepted by 31 December, was accepted after its 完成时限, or had a
progress report returned, with its responsible units, the last progress reported in that year and
everything reported or accepted after it. Read only; the rows come from the units' own reports.
"""

import datetime as dt
from dataclasses import dataclass, field
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from gongkai.orgs.models import Agency
from gongkai.supervision.export import safe
from gongkai.supervision.models import DeadlineKind, PlanTask, ReportState, TaskReport
from gongkai.web.xlsx_print import header_row, print_setup, set_widths

HEADERS = ["序号", "工作要点", "工作任务", "牵头单位", "责任单位", "完成时限", "年末情况", "被退回次数",
           "年内最后进展", "此后进展", "目前状态"]


@dataclass
class LookbackRow:
    task: PlanTask
    units: list[Agency]
    year_end_state: str
    returned: int
    last_in_year: TaskReport | None
    since: list[TaskReport] = field(default_factory=list)
    accepted_since: dt.date | None = None

    @property
    def current_state(self) -> str:
        if self.task.accepted_on:
            return f"已验收（{self.task.accepted_on:%Y年%m月%d日}）"
        if self.since:
            return "有新进展，尚未验收"
        return "无新进展"


def _year_end_state(task: PlanTask, end: dt.date, returned: int) -> str | None:
    """Why the task is looked back at, as on 31 December; None when it ended well."""
    accepted = task.accepted_on if task.accepted_on and task.accepted_on <= end else None
    if accepted and task.deadline and accepted > task.deadline:
        return f"逾期完成（{accepted:%Y年%m月%d日}验收）"
    if accepted:
        return "期间有进展被退回" if returned else None
    if task.deadline and task.deadline <= end:
        return "逾期未完成"
    if task.deadline_kind == DeadlineKind.ONGOING:
        return "持续推进，未验收"
    return "未验收"


def lookback(office: Agency, year: int) -> list[LookbackRow]:
    """The 回头看 rows of ``office``'s plans for ``year``, in plan and task order."""
    end = dt.date(year, 12, 31)
    tasks = (PlanTask.objects.filter(plan__office=office, plan__year=year).select_related("plan", "lead")
             .prefetch_related("responsible", "reports__agency").order_by("plan_id", "number"))
    rows = []
    for task in tasks:
        reports = sorted(task.reports.all(), key=lambda r: (r.submitted_on, r.pk))
        in_year = [r for r in reports if r.submitted_on <= end]
        returned = sum(1 for r in in_year if r.state == ReportState.RETURNED)
        state = _year_end_state(task, end, returned)
        if state is None:
            continue
        rows.append(LookbackRow(
            task=task, units=list(task.responsible.all()), year_end_state=state, returned=returned,
            last_in_year=in_year[-1] if in_year else None, since=[r for r in reports if r.submitted_on > end],
            accepted_since=task.accepted_on if task.accepted_on and task.accepted_on > end else None))
    return rows


def _report_text(report: TaskReport) -> str:
    text = f"{report.agency.name}（{report.submitted_on:%Y年%m月%d日}，{report.get_state_display()}）：{report.text}"
    return text + (f"；审核意见：{report.review_note}" if report.review_note else "")


def lookback_xlsx(office: Agency, year: int, rows: list[LookbackRow]) -> bytes:
    """The rows as a printable sheet: title, header row frozen and repeated, landscape, fit to width."""
    book = Workbook()
    sheet = book.active
    sheet.title = f"{year}年任务回头看"
    sheet.append([safe(f"{office.name}{year}年政务公开工作要点任务回头看")])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(HEADERS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        task = row.task
        sheet.append([safe(v) for v in [
            task.number, task.plan.title, task.task, task.lead.name if task.lead else "",
            "、".join(a.name for a in row.units), task.deadline_text, row.year_end_state, row.returned,
            _report_text(row.last_in_year) if row.last_in_year else "年内未报送进展",
            "\n".join(_report_text(r) for r in row.since) or "无", row.current_state]])
    wrap = Alignment(wrap_text=True, vertical="top")
    for line in sheet.iter_rows(min_row=3):
        for cell in line:
            cell.alignment = wrap
    set_widths(sheet, [6, 20, 40, 16, 24, 12, 16, 8, 40, 40, 16])
    header_row(sheet, 2, len(HEADERS), sheet.max_row)
    print_setup(sheet, landscape=True, repeat_rows="2:2")
    out = BytesIO()
    book.save(out)
    return out.getvalue()
