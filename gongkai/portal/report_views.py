"""The portal's 年度报告 column: published annual reports of every agency, each version and its files.

Only published versions are reachable here; working copies never leave the staff side. Media
files are not web-served, so the PDF and Word files go out through this view.
"""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from gongkai.orgs.queries import public_agencies
from gongkai.reports.filing.publishing import published_versions
from gongkai.reports.models import AnnualReport, ReportVersion
from gongkai.reports.rendering.drafting import document

DOWNLOADS = {"pdf": "pdf", "docx": "docx"}


def column(request):
    """Every agency's latest published report, grouped by year (newest first)."""
    years: dict[int, list] = {}
    for version in published_versions():
        if version.report.agency_id is not None and version.report.agency.is_active:
            years.setdefault(version.report.year, []).append(version)
    return render(request, "portal/reports_column.html", {
        "years": sorted(years.items(), reverse=True), "nav": "reports",
    })


def _published_report(code, pk):
    agency = get_object_or_404(public_agencies(), code=code.upper())
    report = get_object_or_404(AnnualReport.objects.select_related("agency"), agency=agency, pk=pk)
    versions = list(report.versions.order_by("-number"))
    if not versions:
        raise Http404("not published")
    return agency, report, versions


def report_page(request, code, pk):
    agency, report, versions = _published_report(code, pk)
    wanted = request.GET.get("v")
    version = next((v for v in versions if str(v.number) == wanted), versions[0]) if wanted else versions[0]
    return render(request, "portal/report_page.html", {
        "agency": agency, "report": report, "version": version, "versions": versions,
        "doc": document(version.data), "latest": version == versions[0], "nav": "reports",
        "today": timezone.localdate(),
    })


def report_file(request, code, pk, number, fmt):
    if fmt not in DOWNLOADS:
        raise Http404("unknown format")
    agency, report, versions = _published_report(code, pk)
    version: ReportVersion = next((v for v in versions if v.number == number), None)
    if version is None:
        raise Http404("no such version")
    field = getattr(version, DOWNLOADS[fmt])
    suffix = f"（第{number}版）" if len(versions) > 1 else ""
    return FileResponse(field.open("rb"), as_attachment=True, filename=f"{report}{suffix}.{fmt}")
