"""Staff pages of assessment: the office starts a run and reads the ranking; each agency reads
its own findings and responds. Thin: the services of assessment.py do every check and write."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header

from gongkai.errors import PermissionDeniedError, ServiceError
from gongkai.orgs import access
from gongkai.orgs.models import Agency
from gongkai.orgs.roles import Perm
from gongkai.supervision import assessment as svc
from gongkai.supervision import oversight
from gongkai.supervision.export import render_results_xlsx
from gongkai.supervision.models import Assessment, AssessmentFinding, Scheme, SchemeArea, SchemeIndicator
from gongkai.supervision.view_helpers import call_service as _call
from gongkai.supervision.view_helpers import office_for as _office
from gongkai.web.scope import agency_for
from gongkai.web.workspace import workspace

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _date(value, field, label):
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        raise ServiceError("DATE_INVALID", f"{label}应写作 YYYY-MM-DD，如 2026-10-01。", field=field) from None


@login_required
def assessment_list(request, code):
    office = _office(request, code)
    error = None
    if request.method == "POST":
        try:
            scheme = get_object_or_404(Scheme, pk=request.POST.get("scheme") or 0)
            exempt = SchemeArea.objects.filter(pk__in=request.POST.getlist("exempt") or [0])
            created, error = _call(svc.assessment_start, actor=request.user, scheme=scheme, office=office,
                                   title=request.POST.get("title", ""),
                                   start=_date(request.POST.get("start"), "start", "考核期开始日期"),
                                   end=_date(request.POST.get("end"), "end", "考核期结束日期"),
                                   respond_by=_date(request.POST.get("respond_by"), "respond_by", "申辩截止日期"),
                                   assessor=request.POST.get("assessor", ""), exempt_areas=list(exempt))
        except ServiceError as exc:
            created, error = None, exc
        if created:
            messages.success(request, "已按平台记录计算考核问题，各机关可在申辩期内查看并申辩。")
            return redirect("supervision_staff:assessment", office.code, created.pk)
    return render(request, "supervision/assessments.html", workspace(
        request, office, section="supervision", assessments=Assessment.objects.filter(office=office).select_related("scheme"),
        schemes=Scheme.objects.prefetch_related("areas"), error=error))


@login_required
def assessment_detail(request, code, assessment_id):
    office = _office(request, code)
    assessment = get_object_or_404(Assessment.objects.select_related("scheme"), pk=assessment_id, office=office)
    error = None
    if request.method == "POST" and request.POST.get("do") == "finalise":
        done, error = _call(svc.assessment_finalise, actor=request.user, assessment=assessment)
        if done:
            messages.success(request, "考核已定稿。")
            return redirect("supervision_staff:assessment", office.code, assessment.pk)
    elif request.method == "POST" and request.POST.get("do") in ("publish", "unpublish"):
        publish = request.POST["do"] == "publish"
        done, error = _call(svc.assessment_publish, actor=request.user, assessment=assessment, publish=publish)
        if done:
            messages.success(request, "考核结果已在门户网站公开。" if publish else "已撤下门户网站上的考核结果。")
            return redirect("supervision_staff:assessment", office.code, assessment.pk)
    elif request.method == "POST" and request.POST.get("do") == "add":
        agency = oversight.subordinate_agencies(office).filter(pk=request.POST.get("agency") or 0).first()
        rule = SchemeIndicator.objects.filter(pk=request.POST.get("rule") or 0, area__scheme=assessment.scheme).first()
        if agency is None or rule is None:
            error = ServiceError("CHOICE_REQUIRED", "请选择机关和指标。")
        else:
            added, error = _call(svc.finding_add, actor=request.user, assessment=assessment, agency=agency, rule=rule,
                                 subject=request.POST.get("subject", ""), evidence=request.POST.get("evidence", ""))
            if added:
                messages.success(request, "已录入。")
                return redirect("supervision_staff:assessment", office.code, assessment.pk)
    return render(request, "supervision/assessment.html", workspace(
        request, office, section="supervision", assessment=assessment, results=svc.results(assessment), error=error,
        rules=SchemeIndicator.objects.filter(area__scheme=assessment.scheme).select_related("area"),
        subordinates=oversight.subordinate_agencies(office).order_by("sort_order", "code")))


@login_required
def assessment_xlsx(request, code, assessment_id):
    office = _office(request, code)
    assessment = get_object_or_404(Assessment.objects.select_related("scheme"), pk=assessment_id, office=office)
    response = HttpResponse(render_results_xlsx(assessment), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, f"{assessment.title}.xlsx")
    return response


@login_required
def agency_assessment(request, code, assessment_id, agency_code):
    """One agency's findings: opened by the office (code = office) or by the agency itself."""
    viewer_agency = agency_for(request, code)
    assessment = get_object_or_404(Assessment.objects.select_related("scheme", "office"), pk=assessment_id)
    target = Agency.objects.filter(code=agency_code.upper()).first()
    if target is None:
        raise Http404("no such agency")
    try:
        entries = list(svc.findings_of(request.user, assessment, target))
    except PermissionDeniedError as exc:
        raise Http404(exc.message) from exc
    error = None
    if request.method == "POST":
        entry = get_object_or_404(AssessmentFinding, pk=request.POST.get("entry") or 0, assessment=assessment, agency=target)
        if request.POST.get("do") == "respond":
            done, error = _call(svc.finding_respond, actor=request.user, entry=entry, text=request.POST.get("text", ""))
        else:
            done, error = _call(svc.finding_decide, actor=request.user, entry=entry,
                                accept=request.POST.get("do") == "accept", note=request.POST.get("note", ""))
        if done:
            messages.success(request, "已保存。")
            return redirect("supervision_staff:agency_assessment", viewer_agency.code, assessment.pk, target.code)
    result = next((r for r in svc.results(assessment) if r.agency.pk == target.pk), None)
    return render(request, "supervision/agency_assessment.html", workspace(
        request, viewer_agency, section="supervision", assessment=assessment, subject=target, entries=entries,
        result=result, error=error, is_office=oversight.may_oversee(request.user, assessment.office),
        may_respond=access.can(request.user, Perm.EDIT_AGENCY, target)))


@login_required
def scheme_list(request, code):
    """The schemes with their rows; a system administrator edits an indicator's points in place."""
    office = _office(request, code)
    error = None
    if request.method == "POST":
        rule = get_object_or_404(SchemeIndicator.objects.select_related("area__scheme"), pk=request.POST.get("rule") or 0)
        veto_at = request.POST.get("veto_at", "")
        done, error = _call(svc.rule_update, actor=request.user, rule=rule, points=request.POST.get("points", ""),
                            per_finding=request.POST.get("per_finding", ""),
                            veto_at=int(veto_at) if veto_at.isdigit() else -1)
        if done:
            messages.success(request, f"已修改“{rule.name}”。")
            return redirect("supervision_staff:schemes", office.code)
    return render(request, "supervision/schemes.html", workspace(
        request, office, section="supervision", error=error,
        schemes=Scheme.objects.prefetch_related("areas__indicators")))
