"""Staff pages of the annual report: pick a year, see tables 二–四 and their checks, download.

Every read goes through services.report_build, the same door as `gongkai report build`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from gongkai.errors import PermissionDeniedError, ServiceError
from gongkai.reports.computation.services import FIRST_REPORT_YEAR, report_build
from gongkai.reports.computation.validate import validate
from gongkai.reports.models import AnnualReport
from gongkai.reports.rendering.drafting import document
from gongkai.reports.rendering.formats import OUTPUT_FORMATS
from gongkai.reports.rendering.formats import render as render_report
from gongkai.web.scope import agency_for
from gongkai.web.workspace import workspace

FINDING_KINDS = (("violations", "错误"), ("not_checkable", "无法校验"), ("warnings", "提示"))


def _build(request, agency, year, include_subordinates):
    try:
        return report_build(actor=request.user, agency_code=agency.code, year=year,
                            include_subordinates=include_subordinates), None
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except ServiceError as exc:
        return None, exc


def _previous(request, agency, year, include_subordinates):
    """Last year's report for R6 and W1, or None when there is none to compare with."""
    if year - 1 < FIRST_REPORT_YEAR:
        return None
    try:
        return report_build(actor=request.user, agency_code=agency.code, year=year - 1,
                            include_subordinates=include_subordinates)
    except ServiceError:
        return None


def _year(value, default):
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return value  # report_build refuses it with REPORT_YEAR_INVALID, in words


@login_required
def index(request, code):
    agency = agency_for(request, code)
    today = timezone.localdate()
    year = _year(request.GET.get("year"), today.year - 1)
    has_subordinates = agency.children.exists()
    include_subordinates = has_subordinates and request.GET.get("sub") == "1"
    report, error = _build(request, agency, year, include_subordinates)
    findings, doc = [], None
    if report is not None:
        result = validate(report, _previous(request, agency, year, include_subordinates))
        findings = [(label, getattr(result, kind)) for kind, label in FINDING_KINDS]
        doc = document(report)
    return render(request, "reports/staff/index.html", workspace(
        request, agency, section="reports",
        year=year, years=range(today.year, FIRST_REPORT_YEAR - 1, -1), has_subordinates=has_subordinates,
        include_subordinates=include_subordinates, report=report, doc=doc, error=error, findings=findings,
        consistent=report is not None and not findings[0][1], formats=list(OUTPUT_FORMATS),
        query="?sub=1" if include_subordinates else "",
        filed=AnnualReport.objects.filter(agency=agency, year=year, rollup=include_subordinates).first()
        if isinstance(year, int) else None,
    ))


@login_required
def download(request, code, year, fmt):
    agency = agency_for(request, code)
    if fmt not in OUTPUT_FORMATS:
        raise Http404("unknown format")
    include_subordinates = request.GET.get("sub") == "1"
    report, error = _build(request, agency, year, include_subordinates)
    if error is not None:
        return render(request, "reports/staff/index.html", workspace(
            request, agency, section="reports", year=year, years=[], error=error, findings=[], formats=[]),
            status=400)
    suffix = "（含下级机关）" if include_subordinates else ""
    filename = f"{agency.name}{year}年政府信息公开工作年度报告{suffix}.{fmt}"
    response = HttpResponse(render_report(report, fmt), content_type=OUTPUT_FORMATS[fmt].content_type)
    response["Content-Disposition"] = content_disposition_header(fmt != "html", filename)
    return response


@login_required
@require_POST
def build_in_background(request, code, year):
    """A report file built by the worker (a large roll-up takes a while); it lands in 后台任务."""
    from gongkai.jobs import services as jobs
    from gongkai.jobs.models import Job
    from gongkai.reports.tasks import build_report_file

    agency = agency_for(request, code)
    fmt = request.POST.get("format", "")
    if fmt not in OUTPUT_FORMATS:
        raise Http404("unknown format")
    include_subordinates = request.POST.get("sub") == "1"
    _report, error = _build(request, agency, year, include_subordinates)  # refused now, not in the worker
    if error is not None:
        messages.error(request, error.message)
        return redirect("reports_staff:index", code=agency.code)
    suffix = "（含下级机关）" if include_subordinates else ""
    jobs.start(build_report_file, request.user.pk, agency.code, year, fmt, include_subordinates,
               kind=Job.Kind.REPORT, label=f"{agency.name}{year}年度报告{suffix}（{fmt}）", actor=request.user)
    messages.success(request, "已开始在后台生成报告文件，完成后可在“后台任务”中下载。")
    return redirect("jobs:list")
