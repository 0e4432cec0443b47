"""The assessment's results and ranking, and every counted finding, as an XLSX workbook.

Agency names, subjects, evidence and responses are typed by people: a cell starting with = + - @
(or a tab or carriage return) would run as a formula when the workbook is opened, so such text is
written with a leading apostrophe and stays text."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

from gongkai.supervision.assessment import RULE_KINDS, results
from gongkai.supervision.models import ResponseState

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe(value):
    """A cell value that no spreadsheet evaluates (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _row(sheet, values, bold=False):
    sheet.append([safe(v) for v in values])
    if bold:
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)


def render_results_xlsx(assessment) -> bytes:
    book = Workbook()
    ranking = book.active
    ranking.title = "排名"
    _row(ranking, [assessment.title], bold=True)
    _row(ranking, [f"考核方案：{assessment.scheme.name}；考核期：{assessment.start.isoformat()}至{assessment.end.isoformat()}；"
                   f"评估主体和方法：{assessment.assessor or '—'}；状态：{assessment.get_state_display()}"])
    _row(ranking, ["名次", "机关", "机构代码", "扣分部分得分", "加分", "总分", "结论", "单项否决"], bold=True)
    ranked = results(assessment)
    for r in ranked:
        s = r.score
        _row(ranking, [f"{r.rank}（并列）" if r.tied else r.rank, r.agency.name, r.agency.code, float(s.deduction_score) if s.deduction_score is not None else "—",
                       float(s.bonus), float(s.final) if s.final is not None else "—", s.grade, "；".join(s.vetoes)])
    lines = book.create_sheet("扣分明细")
    _row(lines, ["机关", "一级指标", "指标", "类型", "问题数", "扣（加）分"], bold=True)
    for r in ranked:
        for line in r.score.lines:
            if line.findings:
                _row(lines, [r.agency.name, line.area, line.name, RULE_KINDS.get(line.kind, line.kind), line.findings,
                             float(line.points)])
    evidence = book.create_sheet("问题与证据")
    _row(evidence, ["机关", "指标", "对象", "问题（证据）", "来源", "申辩", "申辩理由", "审核意见"], bold=True)
    for entry in assessment.findings.select_related("agency", "rule").order_by("agency__code", "rule_id", "id"):
        _row(evidence, [entry.agency.name, entry.rule.name, entry.subject_repr, entry.detail,
                        "人工检查" if entry.manual else "平台记录", ResponseState(entry.response_state).label,
                        entry.response, entry.decision_note])
    for sheet in (ranking, lines, evidence):
        sheet.column_dimensions["B"].width = 30
        sheet.column_dimensions["D"].width = 30
    out = BytesIO()
    book.save(out)
    return out.getvalue()
