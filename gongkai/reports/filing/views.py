"""Staff pages of a filed annual report: compile, review, submit, decide, publish, correct.

Thin: every button runs one service of filing.py / publishing.py through run_and_return; the page
shows what the services allow this person to do in the report's current state.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from gongkai.audit.models import AuditEntry
from gongkai.errors import PermissionDeniedError, ServiceError
from gongkai.orgs import access
from gongkai.orgs.roles import Perm
from gongkai.reports.computation import schema
from gongkai.reports.filing import filing, publishing
from gongkai.reports.models import AnnualReport, ReportOrigin, ReportStatus
from gongkai.reports.rendering import entry
from gongkai.reports.rendering.drafting import OPENING, PROMPTS, document, draft_text
from gongkai.reports.rendering.formats import OUTPUT_FORMATS
from gongkai.reports.rendering.formats import render as render_report
from gongkai.reports.rendering.records import records_of
from gongkai.reports.views import FINDING_KINDS
from gongkai.web.actions import run_and_return
from gongkai.web.scope import agency_for
from gongkai.web.workspace import workspace


def report_for(request, code: str, pk: int) -> tuple:
    """The report at this URL: the agency's own, or one of an off-platform agency filed with it."""
    agency = agency_for(request, code)
    report = get_object_or_404(
        AnnualReport.objects.select_related("agency", "filed_with"),
        Q(agency=agency) | Q(agency__isnull=True, filed_with=agency), pk=pk)
    return agency, report


def _back(report_agency_code, report):
    return {"to": "reports_staff:filing", "code": report_agency_code, "pk": report.pk}


# Columns whose values may have decimals (money) or be negative (a year's change in item count).
DECIMAL_COLUMNS = frozenset({"amount_10k_yuan", "total_amount", "yuan"})
SIGNED_COLUMNS = frozenset({"change"})


def _entered_cells(report):
    """The staff-entered cells of this report's format with their current value and source, for the form."""
    data, sources = report.data, report.data.get("sources") or {}
    return [{"name": ".".join(key), "label": filing.cell_label(*key),
             "value": ((data.get(key[0]) or {}).get(key[1]) or {}).get(key[2]), "source": sources.get(".".join(key), "")}
            for key in filing.entered_cells(data)]


def _narrative(report, doc):
    """The sections staff write, each with its saved text or, until saved, the draft built from the
    agency's records, and the prompt of what to cover shown beside the box (never inside the text)."""
    fmt = schema.report_format(report.data)
    records = (records_of(report.agency, report.year, rollup=report.rollup)
               if report.agency_id and report.origin == ReportOrigin.GENERATED else None)
    drafts, written = draft_text(report.data, records), report.data.get("narrative") or {}
    headings = {section.heading[0]: section.heading for section in doc.sections}
    headings[OPENING] = "前言（报告开头，不加标题）"
    numbers = ((OPENING,) if OPENING in drafts else ()) + schema.narrative_sections(fmt)
    return [{"number": n, "heading": headings.get(n, n), "text": written.get(n) or drafts.get(n, ""),
             "saved": bool(written.get(n)), "prompt": PROMPTS.get(n, "")} for n in numbers]


@login_required
def detail(request, code, pk):
    agency, report = report_for(request, code, pk)
    user, target = request.user, report.agency or report.filed_with
    result = filing.check(report)
    doc = document(report.data)
    fmt = schema.report_format(report.data)
    findings = entry.findings_of(result)
    # With findings, the tables are shown as the entry grid so each message sits next to its cells.
    marked = entry.entry_form(fmt, findings=findings, values={
        entry.name_of(p): entry.stored_text(report.data, p) for p in entry.form_cells(fmt)}) \
        if findings and fmt in entry.table_formats() else None
    can_prepare = access.can(user, Perm.PREPARE_REPORT, target)
    can_approve = access.can(user, Perm.APPROVE_REPORT, target)
    history = AuditEntry.objects.filter(object_type="reports.annualreport", object_id=str(report.pk)).order_by("at")
    return render(request, "reports/staff/filing_detail.html", workspace(
        request, agency, section="reports", report=report, doc=doc, marked=marked,
        findings=[(label, getattr(result, kind)) for kind, label in FINDING_KINDS],
        consistent=not result.violations, problems=filing.readiness(report) if report.editable else [],
        narrative=_narrative(report, doc), similar=filing.similar_reports(report) if report.agency_id else [],
        entered=_entered_cells(report) if report.origin == ReportOrigin.GENERATED else [],
        can_edit=report.editable and can_prepare, can_approve=can_approve,
        can_decide=report.status == ReportStatus.SUBMITTED and filing.may_decide(user, report),
        versions=report.versions.order_by("-number"), history=history, States=ReportStatus,
        submit_deadline=filing.submit_deadline(report.year), publish_deadline=filing.publish_deadline(report),
        formats=list(OUTPUT_FORMATS),
    ))


def _service(request, call):
    """Run a service and show its refusal in words; 403 for a refused permission."""
    try:
        return call()
    except PermissionDeniedError as error:
        raise PermissionDenied(error.message) from error
    except ServiceError as error:
        messages.error(request, error.message)
        return None


@login_required
@require_POST
def start(request, code):
    agency = agency_for(request, code)
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = request.POST.get("year")
    rollup = request.POST.get("sub") == "1"
    report = _service(request, lambda: filing.open_report(actor=request.user, agency=agency, year=year,
                                                                rollup=rollup))
    if report is None:
        return redirect("reports_staff:index", code=agency.code)
    return redirect("reports_staff:filing", code=agency.code, pk=report.pk)


@login_required
@require_POST
def save_narrative(request, code, pk):
    agency, report = report_for(request, code, pk)
    sections = (OPENING, *schema.narrative_sections(schema.report_format(report.data)))
    texts = {n: request.POST.get(f"section-{n}", "") for n in sections if f"section-{n}" in request.POST}
    return run_and_return(request, lambda: filing.save_narrative(actor=request.user, report=report, narrative=texts),
                          "报告文字已保存。", **_back(agency.code, report))


def parse_entered(post, keys) -> tuple[dict, dict, list[str]]:
    """The staff-entered cells and sources from the form, with a message per unreadable value."""
    cells, sources, errors = {}, {}, []
    for key in keys:
        name, column, label = ".".join(key), key[2], filing.cell_label(*key)
        raw = (post.get(f"cell-{name}") or "").strip().replace(",", "").replace("，", "")
        sources[name] = post.get(f"source-{name}", "")
        if raw == "":
            cells[key] = None
            continue
        try:
            value = float(raw) if column in DECIMAL_COLUMNS else int(raw)
        except ValueError:
            kind = "数字（可带小数）" if column in DECIMAL_COLUMNS else "整数"
            errors.append(f"“{label}”应填写{kind}，“{raw}”无法识别。")
            continue
        if value < 0 and column not in SIGNED_COLUMNS:
            errors.append(f"“{label}”不能为负数。")
            continue
        cells[key] = value
    return cells, sources, errors


@login_required
@require_POST
def save_cells(request, code, pk):
    agency, report = report_for(request, code, pk)
    cells, sources, errors = parse_entered(request.POST, filing.entered_cells(report.data))
    if errors:
        for error in errors:
            messages.error(request, error)
        return redirect("reports_staff:filing", code=agency.code, pk=report.pk)
    return run_and_return(request, lambda: filing.save_entered_cells(
        actor=request.user, report=report, cells=cells, sources=sources), "填报数字已保存。", **_back(agency.code, report))


# step name → (service call, success message)
STEPS = {
    "refresh": (lambda r, u, p: filing.refresh_figures(actor=u, report=r), "已按最新记录重新生成表二至表四。"),
    "review": (lambda r, u, p: filing.send_for_review(actor=u, report=r), "已提交内部审核。"),
    "rework": (lambda r, u, p: filing.return_for_rework(actor=u, report=r, comment=p.get("comment", "")),
               "已退回编制人员修改。"),
    "submit": (lambda r, u, p: filing.submit(actor=u, report=r), "报告已报送。"),
    "accept": (lambda r, u, p: filing.decide(actor=u, report=r, accept=True, comment=p.get("comment", "")),
               "已审核通过。"),
    "return": (lambda r, u, p: filing.decide(actor=u, report=r, accept=False, comment=p.get("comment", "")),
               "已退回重新编制。"),
    "publish": (lambda r, u, p: publishing.publish(actor=u, report=r), "报告已在门户网站年度报告栏目发布。"),
    "correct": (lambda r, u, p: publishing.start_correction(actor=u, report=r, note=p.get("note", "")),
                "已开始编制更正版本，原版本在更正版本发布前继续公开。"),
}


@login_required
@require_POST
def step(request, code, pk, name):
    agency, report = report_for(request, code, pk)
    if name not in STEPS:
        raise Http404("unknown step")
    call, success = STEPS[name]
    return run_and_return(request, lambda: call(report, request.user, request.POST), success,
                          **_back(agency.code, report))


@login_required
def download(request, code, pk, fmt):
    """The working copy as it stands (drafts marked as drafts), in any output format."""
    agency, report = report_for(request, code, pk)
    if fmt not in OUTPUT_FORMATS:
        raise Http404("unknown format")
    response = HttpResponse(render_report(report.data, fmt), content_type=OUTPUT_FORMATS[fmt].content_type)
    response["Content-Disposition"] = content_disposition_header(fmt != "html", f"{report}（工作稿）.{fmt}")
    return response


@login_required
def overview(request, code):
    """The 本级 office's view of what its subordinate agencies filed for a year."""
    agency = agency_for(request, code, Perm.ACCEPT_REPORTS)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year - 1)
    except ValueError:
        year = today.year - 1
    rows = filing.overview(actor=request.user, office=agency, year=year)
    filed = [r for r in rows if r["report"] and r["report"].submitted_at]
    return render(request, "reports/staff/overview.html", workspace(
        request, agency, section="reports", year=year, years=range(today.year, 2007, -1), rows=rows,
        filed=len(filed), late=sum(1 for r in rows if r["late"]),
        deadline=filing.submit_deadline(year), States=ReportStatus,
    ))


def dashboard_panel(request, agency) -> dict | None:
    """The 年度报告 card of the workspace dashboard (settings.GONGKAI_DASHBOARD_PANELS)."""
    to_do = filing.to_do(request.user, agency)
    return None if to_do is None else {"template": "reports/staff/dashboard_panel.html", "context": to_do}
