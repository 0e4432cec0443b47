"""Staff pages for reports of agencies not on the platform: list, type in, upload, check and correct.

Under /staff/a/<office code>/reports/external/; every page needs Perm.ACCEPT_REPORTS on the office
(the 监督 role of the office, or a system administrator). Writes go through external.py; the
validator's findings are shown next to the cells they are about (entry.entry_form).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from gongkai.errors import PermissionDeniedError, ServiceError
from gongkai.orgs.roles import Perm
from gongkai.reports.computation import schema
from gongkai.reports.computation import services as report_services
from gongkai.reports.computation.services import FIRST_REPORT_YEAR
from gongkai.reports.external import external
from gongkai.reports.filing import filing
from gongkai.reports.rendering import entry
from gongkai.web.scope import agency_for
from gongkai.web.workspace import workspace

FINDING_LISTS = (("violations", "不符合勾稽关系"), ("not_checkable", "无法校验"), ("warnings", "提示"))


def _office(request, code):
    return agency_for(request, code, Perm.ACCEPT_REPORTS)


def _years():
    today = timezone.localdate()
    return range(today.year, FIRST_REPORT_YEAR - 1, -1)


def _int_or_raw(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return value  # check_year refuses it in words


def _default_format(year) -> str:
    fmt = report_services.format_for_year(year) if isinstance(year, int) else schema.FORMAT_2021
    return fmt if fmt in entry.table_formats() else schema.FORMAT_2021


@login_required
def external_list(request, code):
    office = _office(request, code)
    year = _int_or_raw(request.GET.get("year") or None)
    year = year if isinstance(year, int) else None
    reports = list(external.external_reports(actor=request.user, office=office, year=year))
    rows = [{"report": r, "violations": len(result.violations)} for r, result in external.checked(office, reports)]
    return render(request, "reports/staff/external_list.html", workspace(
        request, office, section="reports", rows=rows, year=year, years=_years()))


def _form_page(request, office, *, fmt, report=None, header, values, errors=None, header_errors=None,
               result=None, status=200):
    findings = entry.findings_of(result) if result is not None else []
    form = entry.entry_form(fmt, values=values, errors=errors, findings=findings) if fmt in entry.table_formats() \
        else None
    lists = [(label, getattr(result, kind)) for kind, label in FINDING_LISTS] if result is not None else []
    editable = report is None or report.status in external.CORRECTABLE_STATES
    return render(request, "reports/staff/external_form.html", workspace(
        request, office, section="reports", report=report, fmt=fmt, formats=entry.table_formats(),
        format_names=schema.FORMATS, header=header, header_errors=header_errors or {}, form=form,
        finding_lists=lists, checked=result is not None, consistent=result is not None and result.ok,
        editable=editable, years=_years()), status=status)


def _header(post) -> dict:
    return {"agency_name": post.get("agency_name", ""), "year": post.get("year", "")}


def _refusal(error: ServiceError) -> dict:
    if isinstance(error, PermissionDeniedError):
        raise PermissionDenied(error.message) from error
    return {error.field if error.field in ("agency_name", "year") else "form": error.message}


@login_required
def external_new(request, code):
    """Type in a report from the agency's published page, table by table as it is printed."""
    office = _office(request, code)
    if request.method != "POST":
        year = _int_or_raw(request.GET.get("year")) or timezone.localdate().year - 1
        fmt = request.GET.get("format") or _default_format(year)
        if fmt not in entry.table_formats():
            raise Http404("no such table format")
        return _form_page(request, office, fmt=fmt, header={"agency_name": request.GET.get("agency_name", ""),
                                                            "year": year}, values={})
    fmt = request.POST.get("format", "")
    if fmt not in entry.table_formats():
        raise Http404("no such table format")
    parsed = entry.parse_cells(fmt, request.POST)
    header = _header(request.POST)
    if not parsed.ok:
        return _form_page(request, office, fmt=fmt, header=header, values=parsed.typed, errors=parsed.errors,
                          status=400)
    try:
        report = external.record_typed(actor=request.user, office=office, agency_name=header["agency_name"],
                                       year=_int_or_raw(header["year"]), fmt=fmt, cells=parsed.cells)
    except ServiceError as error:
        return _form_page(request, office, fmt=fmt, header=header, values=parsed.typed,
                          header_errors=_refusal(error), status=400)
    messages.success(request, f"已录入{report}，并列入本机关收到的报告。下面是勾稽关系校验结果。")
    return redirect("reports_external:report", code=office.code, pk=report.pk)


@login_required
def external_report(request, code, pk):
    """A recorded report as a form: its figures, the checks next to the cells, corrections."""
    office = _office(request, code)
    try:
        report = external.external_report(actor=request.user, office=office, pk=pk)
    except ServiceError as error:
        raise Http404(error.message) from error
    fmt = report.data.get("format")
    fmt = fmt if fmt in entry.table_formats() else str(fmt)
    stored = {"agency_name": report.agency_name, "year": report.year}
    if request.method != "POST" or fmt not in entry.table_formats():
        values = {entry.name_of(p): entry.stored_text(report.data, p) for p in entry.form_cells(fmt)} \
            if fmt in entry.table_formats() else {}
        return _form_page(request, office, fmt=fmt, report=report, header=stored, values=values,
                          result=filing.check(report))
    parsed = entry.parse_cells(fmt, request.POST)
    header = _header(request.POST)
    if not parsed.ok:
        return _form_page(request, office, fmt=fmt, report=report, header=header, values=parsed.typed,
                          errors=parsed.errors, status=400)
    try:
        external.correct_external(actor=request.user, report=report, cells=parsed.cells,
                                  agency_name=header["agency_name"], year=_int_or_raw(header["year"]))
    except ServiceError as error:
        return _form_page(request, office, fmt=fmt, report=report, header=header, values=parsed.typed,
                          header_errors=_refusal(error), status=400)
    messages.success(request, "更正已保存。下面是重新校验的结果。")
    return redirect("reports_external:report", code=office.code, pk=report.pk)


@login_required
def external_upload(request, code):
    """Upload a report's JSON (spec annual-report-json.md), e.g. one exported by another gongkai."""
    office = _office(request, code)
    context = {"agency_name": request.POST.get("agency_name", ""), "error": None, "max_mb": 2}
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise ServiceError("REPORT_FILE_REQUIRED", "请选择要上传的年度报告 JSON 文件。", field="file")
            content = upload.read(external.MAX_UPLOAD_BYTES + 1)
            report = external.record_uploaded(actor=request.user, office=office,
                                              report=external.read_upload(content),
                                              agency_name=context["agency_name"])
        except PermissionDeniedError as error:
            raise PermissionDenied(error.message) from error
        except ServiceError as error:
            context["error"] = error
        else:
            messages.success(request, f"已上传{report}，并列入本机关收到的报告。下面是勾稽关系校验结果。")
            return redirect("reports_external:report", code=office.code, pk=report.pk)
    return render(request, "reports/staff/external_upload.html",
                  workspace(request, office, section="reports", **context),
                  status=400 if context["error"] else 200)
