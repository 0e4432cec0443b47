"""Staff pages of supervision: the agency's own 督办 and findings; the office's view of its
subordinates' cases and monitoring. Thin: every read is a query of oversight.py / monitoring.py,
every write a service there."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.applications import intake
from gongkai.applications.clockkeeping import state_of
from gongkai.disclosure.models import InterpretationForm
from gongkai.errors import PermissionDeniedError, ServiceError
from gongkai.supervision import oversight
from gongkai.supervision.assessment import assessments_covering
from gongkai.supervision.indicators import INDICATORS, evaluate, interpretation_rate, veto_notes
from gongkai.supervision.models import Finding, FindingState, NoticeItem, ReportState, TaskReport, Urge
from gongkai.supervision.monitoring import findings_visible_to, open_counts
from gongkai.supervision.view_helpers import office_for as _office
from gongkai.supervision.workplans import tasks_of
from gongkai.web.scope import agency_for
from gongkai.web.workspace import workspace

STATES = [("", "未办结"), ("overdue", "已超期"), ("due_soon", "5个工作日内到期"), ("closed", "已办结"), ("all", "全部")]


def _counted(findings):
    counts = {}
    for finding in findings:
        if finding.state == FindingState.OPEN:
            counts[finding.indicator] = counts.get(finding.indicator, 0) + 1
    return counts


@login_required
def index(request, code):
    agency = agency_for(request, code)
    findings = list(findings_visible_to(request.user, agency))
    for finding in findings:
        finding.indicator_label = INDICATORS[finding.indicator].label if finding.indicator in INDICATORS else finding.indicator
    return render(request, "supervision/index.html", workspace(
        request, agency, section="supervision", urges=oversight.urges_received(agency), findings=findings,
        assessments=assessments_covering(agency), tasks=tasks_of(agency), notice_items=NoticeItem.objects.filter(
            agency=agency).select_related("notice").order_by("-notice__issued_on", "id"),
        to_review=TaskReport.objects.filter(task__lead=agency, state=ReportState.SUBMITTED).select_related("task", "agency"),
        veto_notes=veto_notes(_counted(findings)), oversees=oversight.may_oversee(request.user, agency)
        and oversight.subordinate_agencies(agency).exists()))


@login_required
@require_POST
def urge_read_view(request, code, urge_id):
    agency = agency_for(request, code)
    urge = get_object_or_404(Urge.objects.select_related("application__agency"), pk=urge_id, application__agency=agency)
    try:
        oversight.urge_read(actor=request.user, urge=urge)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, "已签收督办。")
    return redirect("supervision_staff:index", agency.code)


def _int_or_none(value):
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


@login_required
def case_list(request, code):
    office = _office(request, code)
    filters = oversight.CaseFilter(agency_code=request.GET.get("agency", ""), state=request.GET.get("state", ""),
                                   max_days_left=_int_or_none(request.GET.get("days")))
    error, rows = None, []
    try:
        rows = oversight.cases(request.user, office, filters=filters)
    except ServiceError as exc:
        error = exc
    return render(request, "supervision/cases.html", workspace(
        request, office, section="supervision", rows=rows, filters=filters, states=STATES, error=error,
        subordinates=oversight.subordinate_agencies(office).order_by("sort_order", "code")))


@login_required
def case_detail(request, code, application_id):
    office = _office(request, code)
    try:
        application = oversight.case_for(request.user, office, application_id)
    except ServiceError as exc:
        raise Http404(exc.message) from exc
    error, personal = None, None
    if request.method == "POST" and request.POST.get("do") == "urge":
        try:
            oversight.urge_issue(actor=request.user, office=office, application=application, note=request.POST.get("note", ""))
            messages.success(request, "已督办，对方签收后这里会显示签收人和时间。")
            return redirect("supervision_staff:case", office.code, application.pk)
        except ServiceError as exc:
            error = exc
    elif request.method == "POST" and request.POST.get("do") == "reveal":
        try:
            personal = intake.reveal_personal_data(actor=request.user, application=application)
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from exc
    clock = state_of(application)
    return render(request, "supervision/case.html", workspace(
        request, office, section="supervision", application=application, clock=clock, error=error, personal=personal,
        may_reveal=intake.may_see_personal_data(request.user, application),
        urges=application.urges.select_related("office", "issued_by", "read_by")))


def _date(value, default):
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return None


@login_required
def monitor_overview(request, code):
    office = _office(request, code)
    subordinates = list(oversight.subordinate_agencies(office).order_by("sort_order", "code"))
    today = timezone.localdate()
    start = _date(request.GET.get("start"), today.replace(month=1, day=1))
    end = _date(request.GET.get("end"), today)
    error = None
    live = {}
    if request.GET.get("start") or request.GET.get("end"):
        if start is None or end is None or start > end:
            error = "请按 YYYY-MM-DD 填写起止日期，且开始日期不晚于结束日期。"
        else:
            for hit in evaluate([a.pk for a in subordinates], start, end):
                live.setdefault(hit.agency_id, {}).setdefault(hit.indicator, 0)
                live[hit.agency_id][hit.indicator] += 1
    counts = open_counts([a.pk for a in subordinates])
    rows = [{"agency": a, "counts": [(live.get(a.pk) if live else counts.get(a.pk, {})).get(c, 0) for c in INDICATORS],
             "vetoes": veto_notes(live.get(a.pk, {}) if live else counts.get(a.pk, {}))} for a in subordinates]
    rates = interpretation_rate([a.pk for a in subordinates], start, end) if start and end and start <= end else {}
    forms = [label for _value, label in InterpretationForm.choices]
    interpretation_rows = [{"agency": a, "rate": rates[a.pk], "forms": [rates[a.pk].by_form.get(f, 0) for f in forms]}
                           for a in subordinates if a.pk in rates]
    return render(request, "supervision/monitor.html", workspace(
        request, office, section="supervision", rows=rows, indicators=list(INDICATORS.values()), live=bool(live) or
        bool(request.GET.get("start")), start=start, end=end, error=error, interpretation_rows=interpretation_rows,
        interpretation_forms=forms))


@login_required
def agency_findings(request, code, agency_code):
    office = _office(request, code)
    agency = oversight.subordinate_agencies(office).filter(code=agency_code.upper()).first()
    if agency is None:
        raise Http404("not a subordinate")
    findings = list(Finding.objects.filter(agency=agency).order_by("state", "indicator", "-last_seen"))
    for finding in findings:
        finding.indicator_label = INDICATORS[finding.indicator].label if finding.indicator in INDICATORS else finding.indicator
    return render(request, "supervision/agency_findings.html", workspace(
        request, office, section="supervision", subject=agency, findings=findings,
        veto_notes=veto_notes(_counted(findings))))
