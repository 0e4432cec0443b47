"""Staff pages of work plans and 通报: the office imports plans and issues 通报; units report
progress and answer. Thin: workplans.py and notices.py check and write."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from gongkai.errors import ServiceError
from gongkai.supervision import lookback, notice_print, notices, oversight, workplans
from gongkai.supervision.models import (
    Finding,
    FindingState,
    Notice,
    NoticeItem,
    PlanTask,
    TaskReport,
    WorkPlan,
)
from gongkai.supervision.view_helpers import call_service as _call
from gongkai.supervision.view_helpers import office_for as _office
from gongkai.web.scope import agency_for
from gongkai.web.workspace import workspace

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_UPLOAD = 5 * 1024 * 1024


@login_required
def plan_list(request, code):
    office = _office(request, code)
    error = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        year = request.POST.get("year", "")
        if upload is None or upload.size > MAX_UPLOAD:
            error = ServiceError("FILE_INVALID", "请上传不超过5MB的任务分解表（.xlsx）。", field="file")
        elif not year.isdigit() or not 2000 <= int(year) <= 2100:
            error = ServiceError("YEAR_INVALID", "请填写年度，如2026。", field="year")
        else:
            plan, error = _call(workplans.plan_import, actor=request.user, office=office, year=int(year),
                                title=request.POST.get("title", ""), content=upload.read())
            if plan:
                messages.success(request, f"已导入{plan.tasks.count()}项任务。")
                return redirect("supervision_staff:plan", office.code, plan.pk)
    return render(request, "supervision/plans.html", workspace(
        request, office, section="supervision", plans=WorkPlan.objects.filter(office=office), error=error,
        headers=workplans.HEADERS, lookback_year=timezone.localdate().year - 1))


@login_required
def plan_detail(request, code, plan_id):
    office = _office(request, code)
    plan = get_object_or_404(WorkPlan, pk=plan_id, office=office)
    today = timezone.localdate()
    tasks = list(plan.tasks.prefetch_related("responsible", "reports__agency").select_related("lead"))
    for task in tasks:
        task.state_label = workplans.task_state(task, today)
    return render(request, "supervision/plan.html", workspace(request, office, section="supervision", plan=plan,
                                                              tasks=tasks))


@login_required
def plan_xlsx(request, code, plan_id):
    office = _office(request, code)
    plan = get_object_or_404(WorkPlan, pk=plan_id, office=office)
    response = HttpResponse(workplans.plan_xlsx(plan), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, f"{plan.title}任务分解表.xlsx")
    return response


def _lookback_year(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise Http404("year out of range")
    return year


@login_required
def plan_lookback(request, code, year):
    """回头看: the year's tasks that were overdue, returned or not accepted, and what happened since."""
    office = _office(request, code)
    year = _lookback_year(year)
    years = sorted(set(WorkPlan.objects.filter(office=office).values_list("year", flat=True)), reverse=True)
    return render(request, "supervision/lookback.html", workspace(
        request, office, section="supervision", year=year, rows=lookback.lookback(office, year), years=years))


@login_required
def plan_lookback_xlsx(request, code, year):
    office = _office(request, code)
    year = _lookback_year(year)
    response = HttpResponse(lookback.lookback_xlsx(office, year, lookback.lookback(office, year)), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, f"{year}年工作要点任务回头看.xlsx")
    return response


@login_required
@require_POST
def task_report(request, code, task_id):
    agency = agency_for(request, code)
    task = get_object_or_404(PlanTask, pk=task_id, responsible=agency)
    done, error = _call(workplans.task_report, actor=request.user, task=task, agency=agency,
                        text=request.POST.get("text", ""), link=request.POST.get("link", ""))
    if done:
        messages.success(request, "已报送。")
    else:
        messages.error(request, error.message)
    return redirect("supervision_staff:index", agency.code)


@login_required
@require_POST
def report_review(request, code, report_id):
    agency = agency_for(request, code)
    report = get_object_or_404(TaskReport.objects.select_related("task__plan__office", "task__lead"), pk=report_id)
    done, error = _call(workplans.report_review, actor=request.user, report=report,
                        accept=request.POST.get("do") == "accept", note=request.POST.get("note", ""))
    if done:
        messages.success(request, "已审核。")
    else:
        messages.error(request, error.message)
    if oversight.may_oversee(request.user, report.task.plan.office) and agency.pk == report.task.plan.office_id:
        return redirect("supervision_staff:plan", agency.code, report.task.plan_id)
    return redirect("supervision_staff:index", agency.code)


@login_required
def notice_list(request, code):
    office = _office(request, code)
    error = None
    below = oversight.subordinate_agencies(office)
    open_findings = Finding.objects.filter(agency__in=below, state=FindingState.OPEN).select_related("agency").order_by(
        "agency__sort_order", "agency__code", "indicator")
    if request.method == "POST":
        try:
            rectify_by = dt.date.fromisoformat(request.POST.get("rectify_by", "").strip())
        except ValueError:
            error = ServiceError("DATE_INVALID", "整改期限应写作 YYYY-MM-DD。", field="rectify_by")
        else:
            chosen = open_findings.filter(pk__in=[p for p in request.POST.getlist("finding") if p.isdigit()])
            notice, error = _call(notices.notice_issue, actor=request.user, office=office,
                                  title=request.POST.get("title", ""), rectify_by=rectify_by, findings=chosen)
            if notice:
                messages.success(request, "已发出通报。")
                return redirect("supervision_staff:notice", office.code, notice.pk)
    return render(request, "supervision/notices.html", workspace(
        request, office, section="supervision", notices=Notice.objects.filter(office=office), error=error,
        open_findings=open_findings[:500]))


@login_required
def notice_detail(request, code, notice_id):
    office = _office(request, code)
    notice = get_object_or_404(Notice, pk=notice_id, office=office)
    return render(request, "supervision/notice.html", workspace(
        request, office, section="supervision", notice=notice, items=notice.items.select_related("agency", "finding"),
        unanswered=notices.unanswered(notice, timezone.localdate())))


@login_required
def notice_file(request, code, notice_id, fmt):
    """The 通报 in Word or PDF (notice_print.py), as of today: answers and units that did not answer."""
    office = _office(request, code)
    notice = get_object_or_404(Notice, pk=notice_id, office=office)
    formats = {"docx": (notice_print.notice_docx, DOCX), "pdf": (notice_print.notice_pdf, "application/pdf")}
    if fmt not in formats:
        raise Http404("unknown format")
    render, content_type = formats[fmt]
    response = HttpResponse(render(notice), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, f"{notice.title}.{fmt}")
    return response


@login_required
@require_POST
def notice_answer(request, code, item_id):
    agency = agency_for(request, code)
    item = get_object_or_404(NoticeItem, pk=item_id, agency=agency)
    done, error = _call(notices.notice_answer, actor=request.user, item=item, text=request.POST.get("text", ""))
    if done:
        messages.success(request, "已报送整改情况，下次电子监察将复查。")
    else:
        messages.error(request, error.message)
    return redirect("supervision_staff:index", agency.code)
