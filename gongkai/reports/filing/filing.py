"""Filing an annual report: compile → internal review → submit to the 本级 office → accept or return → publish.

条例第四十九条: a department (部门) submits its report for the previous year to the 本级政府信息公开
工作主管部门 and publishes it by 1月31日; the 主管部门 publishes the government's own report by
3月31日. The deadlines below are those dates; lateness is recorded, never refused (a late report
must still be filed). Every transition locks the report row, checks its current state (so a stale
page cannot act twice), writes one audit entry with before/after and leaves nothing half-done.
"""

import copy
import datetime as dt

from django.db import transaction
from django.utils import timezone

from gongkai.audit.models import Action
from gongkai.audit.services import record
from gongkai.errors import PermissionDeniedError, ServiceError
from gongkai.orgs import access
from gongkai.orgs.models import AgencyKind
from gongkai.orgs.roles import Perm
from gongkai.reports.computation import schema
from gongkai.reports.computation.narrative import narrative_findings, similarity
from gongkai.reports.computation.services import report_build, staff_entered_cells
from gongkai.reports.computation.validate import validate
from gongkai.reports.models import EDITABLE_STATES, AnnualReport, ReportOrigin, ReportStatus
from gongkai.reports.rendering.drafting import OPENING, written_sections

# 条例第四十九条: filed with the 本级 office by 1月31日; a government's report published by 3月31日,
# a department's (which publishes when it files) by 1月31日.
SUBMIT_BY = (1, 31)
PUBLISH_BY = {AgencyKind.GOVERNMENT: (3, 31)}
PUBLISH_BY_DEFAULT = (1, 31)


def entered_cells(report_data: dict) -> tuple[tuple[str, str, str], ...]:
    """(section, row, column) of every cell staff enter in a generated report of this format."""
    fmt = schema.report_format(report_data)
    return tuple((section, row, column) for section, cells in staff_entered_cells(fmt).items()
                 for row, column in cells)


def cell_label(section: str, row: str, column: str) -> str:
    if section == "fees":  # the pre-2019 outline's 收费及减免 section
        from gongkai.reports.computation.outline import FEE_ROWS

        return f"{FEE_ROWS.get(row, row)}·{ {'cases': '件数', 'yuan': '金额（元）'}.get(column, column)}"
    return f"{schema.row_label(row)}·{schema.column_label(row, column)}"


def submit_deadline(year: int) -> dt.date:
    return dt.date(year + 1, *SUBMIT_BY)


def publish_deadline(report: AnnualReport) -> dt.date:
    kind = report.agency.kind if report.agency_id else AgencyKind.DEPARTMENT
    return dt.date(report.year + 1, *PUBLISH_BY.get(kind, PUBLISH_BY_DEFAULT))


def _snapshot(report: AnnualReport) -> dict:
    return {"status": report.status, "filed_with": report.filed_with_id, "return_comment": report.return_comment}


def _audit(actor, report, action, before, note=""):
    record(actor=actor, action=action, obj=report, agency=report.agency or report.filed_with,
           before=before, after=_snapshot(report), note=note)


def _locked(report: AnnualReport, *states) -> AnnualReport:
    """The report re-read under a row lock; REPORT_STATE_CHANGED when someone moved it meanwhile."""
    current = AnnualReport.objects.select_for_update(of=("self",)).select_related("agency", "filed_with").get(pk=report.pk)
    if states and current.status not in states:
        raise ServiceError("REPORT_STATE_CHANGED",
                           f"该报告当前状态为“{current.get_status_display()}”，无法执行此操作，请刷新页面后重试。")
    return current


def _require(actor, perm, report: AnnualReport):
    target = report.agency or report.filed_with
    access.require(actor, perm, target)


# --- compiling -------------------------------------------------------------------------------

def open_report(*, actor, agency, year: int, rollup: bool = False) -> AnnualReport:
    """The agency's working copy for ``year``, generated from its records the first time."""
    existing = AnnualReport.objects.filter(agency=agency, year=year, rollup=rollup).first()
    if existing is not None:
        access.require(actor, Perm.VIEW_WORK, agency)
        return existing
    access.require(actor, Perm.PREPARE_REPORT, agency)
    data = report_build(actor=actor, agency_code=agency.code, year=year, include_subordinates=rollup)
    with transaction.atomic():
        report, created = AnnualReport.objects.get_or_create(
            agency=agency, year=year, rollup=rollup,
            defaults={"agency_name": agency.name, "data": data, "created_by": actor, "figures_at": timezone.now()})
        if created:
            record(actor=actor, action=Action.CREATE, obj=report, agency=agency, after=_snapshot(report),
                   note="由本系统记录生成年度报告草稿")
    return report


def _keep_staff_work(old: dict, new: dict) -> dict:
    """New figures with what staff typed kept: entered cells of table 二, narrative and sources."""
    merged = copy.deepcopy(new)
    for section, row, column in entered_cells(new):
        value = ((old.get(section) or {}).get(row) or {}).get(column)
        if value is not None:
            merged.setdefault(section, {}).setdefault(row, {})[column] = value
    for key in ("narrative", "sources"):
        if old.get(key):
            merged[key] = old[key]
    return merged


def refresh_figures(*, actor, report: AnnualReport) -> AnnualReport:
    """Recompute tables from the records (an application closed late, an item repealed…)."""
    _require(actor, Perm.PREPARE_REPORT, report)
    if report.origin != ReportOrigin.GENERATED:
        raise ServiceError("REPORT_NOT_GENERATED", "该报告为录入或上传的报告，没有可重新生成的记录。")
    fresh = report_build(actor=actor, agency_code=report.agency.code, year=report.year,
                         include_subordinates=report.rollup)
    with transaction.atomic():
        current = _locked(report, *EDITABLE_STATES)
        before = _snapshot(current)
        current.data = _keep_staff_work(current.data, fresh)
        current.figures_at = timezone.now()
        current.save(update_fields=["data", "figures_at", "updated_at"])
        _audit(actor, current, Action.REPORT_REFRESH, before, note="按最新记录重新生成表二至表四")
    return current


def save_narrative(*, actor, report: AnnualReport, narrative: dict[str, str]) -> AnnualReport:
    _require(actor, Perm.PREPARE_REPORT, report)
    unknown = set(narrative) - {OPENING, *schema.narrative_sections(schema.report_format(report.data))}
    if unknown:
        raise ServiceError("REPORT_SECTION_UNKNOWN", f"没有第{'、'.join(sorted(unknown))}部分可以填写。")
    for number, text in narrative.items():
        if not isinstance(text, str) or len(text) > 20000:
            raise ServiceError("REPORT_TEXT_TOO_LONG", f"第{number}部分文字过长（不超过20000字）。", field=number)
    with transaction.atomic():
        current = _locked(report, *EDITABLE_STATES)
        old = dict(current.data.get("narrative") or {})
        new = {**old, **{k: v.strip() for k, v in narrative.items()}}
        if new != old:
            current.data = {**current.data, "narrative": new}
            current.save(update_fields=["data", "updated_at"])
            record(actor=actor, action=Action.REPORT_NARRATIVE, obj=current, agency=current.agency or current.filed_with,
                   before={"narrative": old}, after={"narrative": new}, note="修改报告文字部分")
    return current


def save_table_cells(*, actor, report: AnnualReport, section: str, cells: dict, sources: dict | None = None,
                     editable: set | None = None) -> AnnualReport:
    """Write cells of one table ("active", "requests", "review_litigation"): {(row, column): value}.

    ``editable`` limits which (row, column) may change; values must already be parsed numbers or None.
    """
    allowed = None if editable is None else {(section, r, c) for r, c in editable}
    return save_cells(actor=actor, report=report, cells={(section, r, c): v for (r, c), v in cells.items()},
                      sources=sources, editable=allowed)


def save_entered_cells(*, actor, report: AnnualReport, cells: dict, sources: dict) -> AnnualReport:
    """The cells of a generated report that gongkai does not record: {(section, row, column): value}."""
    return save_cells(actor=actor, report=report, cells=cells, sources=sources,
                      editable=set(entered_cells(report.data)))


def save_cells(*, actor, report: AnnualReport, cells: dict, sources: dict | None = None,
               editable: set | None = None) -> AnnualReport:
    """Write {(section, row, column): value} in one transaction; sources are notes per "section.row.column"."""
    _require(actor, Perm.PREPARE_REPORT, report)
    if editable is not None:
        refused = [cell_label(*key) for key in cells if key not in editable]
        if refused:
            raise ServiceError("REPORT_CELL_NOT_EDITABLE",
                               f"以下单元格由系统根据记录计算，不能手工修改：{'、'.join(refused)}。")
    with transaction.atomic():
        current = _locked(report, *EDITABLE_STATES)
        data = copy.deepcopy(current.data)
        before = {".".join(k): ((data.get(k[0]) or {}).get(k[1]) or {}).get(k[2]) for k in cells}
        for (section, row, column), value in cells.items():
            data.setdefault(section, {}).setdefault(row, {})[column] = value
        if sources is not None:
            data["sources"] = {**(data.get("sources") or {}), **{k: v.strip() for k, v in sources.items()}}
        after = {".".join(k): v for k, v in cells.items()}
        if data != current.data:
            current.data = data
            current.save(update_fields=["data", "updated_at"])
            record(actor=actor, action=Action.REPORT_CELLS, obj=current, agency=current.agency or current.filed_with,
                   before=before, after={**after, "sources": sources or {}}, note="填报表格数字")
    return current


# --- checking -------------------------------------------------------------------------------

def previous_data(report: AnnualReport) -> dict | None:
    """Last year's report for R6/W1: its latest published version, else its working copy."""
    qs = AnnualReport.objects.filter(year=report.year - 1, rollup=report.rollup)
    qs = qs.filter(agency=report.agency) if report.agency_id else qs.filter(
        agency__isnull=True, filed_with=report.filed_with, agency_name=report.agency_name)
    previous = qs.first()
    if previous is None:
        return None
    version = previous.latest_version
    return version.data if version else previous.data


def check(report: AnnualReport):
    return validate(report.data, previous_data(report))


def readiness(report: AnnualReport) -> list[ServiceError]:
    """What stops this report from going to review or to the superior office, each as a coded error."""
    problems = []
    result = check(report)
    table_violations = [v for v in result.violations if v.get("rule") != "N1"]
    if table_violations:
        problems.append(ServiceError("REPORT_HAS_VIOLATIONS",
                                     f"报告有{len(table_violations)}处不符合勾稽关系，请先改正。"))
    leftover = narrative_leftovers(report.data)
    if leftover:
        problems.append(leftover)
    if report.origin != ReportOrigin.GENERATED:
        return problems
    data, fmt = report.data, schema.report_format(report.data)
    cells = entered_cells(data)
    blank = [cell_label(*k) for k in cells if ((data.get(k[0]) or {}).get(k[1]) or {}).get(k[2]) is None]
    if blank:
        problems.append(ServiceError("REPORT_CELLS_MISSING", f"尚有由工作人员填报的单元格未填：{'、'.join(blank)}。"))
    sources = data.get("sources") or {}
    unsourced = [cell_label(*k) for k in cells if not str(sources.get(".".join(k)) or "").strip()]
    if unsourced:
        problems.append(ServiceError("REPORT_SOURCE_MISSING", f"请注明以下数字的来源：{'、'.join(unsourced)}。"))
    missing = [n for n in schema.narrative_sections(fmt) if n not in written_sections(data)]
    if missing:
        problems.append(ServiceError("REPORT_NARRATIVE_MISSING",
                                     f"第{'、'.join(missing)}部分尚未撰写（系统草稿须经工作人员核对完善后保存）。"))
    return problems


def narrative_leftovers(data: dict) -> ServiceError | None:
    """REPORT_NARRATIVE_PROMPT naming every sentence that still holds a drafting prompt or placeholder."""
    findings = narrative_findings(data)
    if not findings:
        return None
    named = "；".join(f"第{f['section']}部分“{f['sentence']}”" for f in findings)
    return ServiceError("REPORT_NARRATIVE_PROMPT",
                        f"报告文字中仍有起草提示或未填写的占位文字，请改写或删除后再提交：{named}。")


def similar_reports(report: AnnualReport, *, threshold: float | None = None) -> list[dict]:
    """Other agencies' reports of the same year whose written sections read nearly the same as this
    one's (国办公开办函〔2021〕30号: 内容雷同): [{agency, section, ratio}], most similar first."""
    from django.conf import settings

    limit = threshold if threshold is not None else getattr(settings, "GONGKAI_NARRATIVE_SIMILARITY", 0.85)
    mine = written_sections(report.data)
    if not mine:
        return []
    found = []
    others = AnnualReport.objects.filter(year=report.year, rollup=False).exclude(pk=report.pk).select_related("agency")
    for other in others:
        theirs = written_sections(other.data)
        for number, paragraphs in mine.items():
            if number not in theirs:
                continue
            ratio = similarity("\n".join(paragraphs), "\n".join(theirs[number]),
                               a_name=report.agency_name, b_name=other.agency_name)
            if ratio >= limit:
                found.append({"agency": other.agency_name, "section": number, "ratio": ratio})
    return sorted(found, key=lambda f: -f["ratio"])


def _require_ready(report):
    problems = readiness(report)
    if problems:
        first = problems[0]
        raise ServiceError(first.code, "；".join(p.message for p in problems))


# --- moving through the workflow ----------------------------------------------------------------

def send_for_review(*, actor, report: AnnualReport) -> AnnualReport:
    _require(actor, Perm.PREPARE_REPORT, report)
    with transaction.atomic():
        current = _locked(report, *EDITABLE_STATES)
        _require_ready(current)
        before = _snapshot(current)
        current.status = ReportStatus.IN_REVIEW
        current.save(update_fields=["status", "updated_at"])
        _audit(actor, current, Action.SUBMIT, before, note="提交内部审核")
    return current


def return_for_rework(*, actor, report: AnnualReport, comment: str) -> AnnualReport:
    """Internal review sends the draft back to whoever compiles it."""
    _require(actor, Perm.APPROVE_REPORT, report)
    comment = _comment(comment)
    with transaction.atomic():
        current = _locked(report, ReportStatus.IN_REVIEW)
        before = _snapshot(current)
        current.status = ReportStatus.DRAFT
        current.return_comment = comment
        current.save(update_fields=["status", "return_comment", "updated_at"])
        _audit(actor, current, Action.REJECT, before, note=f"内部审核退回：{comment}")
    return current


def submit(*, actor, report: AnnualReport) -> AnnualReport:
    """File the reviewed report with the 本级 office (the agency's parent on the platform).

    An agency with no superior on the platform has nobody to accept it: it is accepted on filing.
    """
    _require(actor, Perm.APPROVE_REPORT, report)
    with transaction.atomic():
        current = _locked(report, ReportStatus.IN_REVIEW)
        _require_ready(current)
        before = _snapshot(current)
        now = timezone.now()
        current.filed_with = current.agency.parent if current.agency_id else current.filed_with
        current.submitted_at = now
        current.submitted_late = timezone.localdate(now) > submit_deadline(current.year)
        current.return_comment = ""
        if current.filed_with is None:
            current.status, current.decided_at = ReportStatus.ACCEPTED, now
            note = "内部审核通过；本机关在本平台没有上级机关，报告直接进入待发布"
        else:
            current.status = ReportStatus.SUBMITTED
            note = f"报送{current.filed_with.name}" + ("（逾期报送）" if current.submitted_late else "")
        current.save()
        _audit(actor, current, Action.SUBMIT, before, note=note)
    return current


def _comment(comment: str) -> str:
    comment = (comment or "").strip()
    if not comment:
        raise ServiceError("REPORT_COMMENT_REQUIRED", "退回时须写明退回意见，说明需要修改的内容。", field="comment")
    if len(comment) > 2000:
        raise ServiceError("REPORT_COMMENT_TOO_LONG", "退回意见不超过2000字。", field="comment")
    return comment


def may_decide(actor, report: AnnualReport) -> bool:
    return report.filed_with_id is not None and access.can(actor, Perm.ACCEPT_REPORTS, report.filed_with)


def decide(*, actor, report: AnnualReport, accept: bool, comment: str = "") -> AnnualReport:
    """The superior office accepts the filed report or returns it (退回重新编制) with comments."""
    if not may_decide(actor, report):
        raise PermissionDeniedError("只有报送机关的政务公开主管人员可以审核该报告。")
    comment = (comment or "").strip() if accept else _comment(comment)
    with transaction.atomic():
        current = _locked(report, ReportStatus.SUBMITTED)
        before = _snapshot(current)
        current.status = ReportStatus.ACCEPTED if accept else ReportStatus.RETURNED
        current.return_comment = "" if accept else comment
        current.decided_at = timezone.now()
        current.save(update_fields=["status", "return_comment", "decided_at", "updated_at"])
        if accept:
            _audit(actor, current, Action.APPROVE, before, note="上级审核通过" + (f"：{comment}" if comment else ""))
        else:
            _audit(actor, current, Action.REJECT, before, note=f"退回重新编制：{comment}")
    return current


# --- the 本级 office's overview -------------------------------------------------------------------

def overview(*, actor, office, year: int) -> list[dict]:
    """Every agency directly below ``office`` with its report for ``year`` (or none), then the
    reports of off-platform agencies recorded by the office: status, lateness and check result."""
    access.require(actor, Perm.ACCEPT_REPORTS, office)
    reports = {r.agency_id: r for r in AnnualReport.objects.filter(agency__parent=office, year=year, rollup=False)}
    rows = [{"name": child.name, "code": child.code, "report": reports.get(child.pk), "external": False}
            for child in office.children.filter(is_active=True).order_by("sort_order", "code")]
    rows += [{"name": r.agency_name, "code": office.code, "report": r, "external": True}
             for r in AnnualReport.objects.filter(agency__isnull=True, filed_with=office, year=year)]
    today = timezone.localdate()
    for row in rows:
        report = row["report"]
        row["violations"] = len(check(report).violations) if report is not None else None
        filed = report is not None and report.submitted_at is not None
        row["late"] = report.submitted_late if filed else today > submit_deadline(year)
    return rows


def to_do(actor, agency) -> dict | None:
    """What the dashboard says about last year's report: this agency's own, and, for an office that
    receives reports, how many wait for its decision. None when the person has nothing to do with it."""
    if agency is None or not access.can(actor, Perm.VIEW_WORK, agency):
        return None
    year = timezone.localdate().year - 1
    own = AnnualReport.objects.filter(agency=agency, year=year, rollup=False).first()
    waiting = (AnnualReport.objects.filter(filed_with=agency, status=ReportStatus.SUBMITTED).count()
               if access.can(actor, Perm.ACCEPT_REPORTS, agency) else None)
    return {"year": year, "own": own, "deadline": submit_deadline(year), "waiting": waiting,
            "overdue": (own is None or own.submitted_at is None) and timezone.localdate() > submit_deadline(year)}
