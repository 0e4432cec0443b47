"""The handling workbench: lists with the statutory clock, one case with every action, the ledger."""

import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.applications import appeals, clockkeeping, handling, intake, queries, worklist
from gongkai.applications.clock import RECEIPT_RULES, standing
from gongkai.applications.forms import RegisterForm, ReplyForm
from gongkai.applications.models import Appeal, Application, Letter, Status
from gongkai.audit import security_events as events
from gongkai.errors import PermissionDeniedError, ServiceError
from gongkai.fieldcrypt import mask_address, mask_id_number, mask_phone
from gongkai.orgs import access
from gongkai.orgs.models import Agency
from gongkai.orgs.roles import Perm
from gongkai.orgs.tree import in_tree_order
from gongkai.web.actions import run_and_return
from gongkai.web.cells import safe_row
from gongkai.web.forms import attach_service_error
from gongkai.web.scope import agency_for
from gongkai.web.workspace import workspace

LISTS = {
    "open": ("全部在办", queries.open_cases),
    "due_soon": ("5个工作日内到期", queries.due_soon),
    "overdue": ("已超期", queries.overdue),
    "applicant": ("等待申请人", queries.waiting_for_applicant),
    "third_party": ("征求意见中", queries.waiting_for_third_party),
    "closed": ("已办结", lambda agency: queries.for_agency(agency).filter(open_case=0)),
}


@login_required
def workbench(request, code):
    agency = agency_for(request, code, Perm.HANDLE_APPLICATIONS)
    key = request.GET.get("list", "open")
    key = key if key in LISTS else "open"
    label, query = LISTS[key]
    calendar, today = clockkeeping.current_calendar()[0], timezone.localdate()
    counts = queries.list_counts(agency, today=today, calendar=calendar)
    if key == "closed":
        cases = query(agency).order_by("-closed_on", "-id")
    elif key == "due_soon":
        cases = query(agency, today=today, calendar=calendar).order_by(*queries.WORKBENCH_ORDER)
    else:
        cases = query(agency).order_by(*queries.WORKBENCH_ORDER)
    paginator = Paginator(cases.only(*worklist.LIST_FIELDS), 30)
    # Paginator.count is a cached_property: set, it spares the paginator its own COUNT.
    paginator.count = counts[key] if key in counts else queries.closed_count(agency, open_count=counts["open"])
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "applications/staff/workbench.html", workspace(
        request, agency, section="applications", current=key, label=label, page=page,
        tabs=[(k, name, counts.get(k)) for k, (name, _query) in LISTS.items()],
        rows=worklist.rows(page, agency=agency, today=today, calendar=calendar),
    ))


@login_required
def register(request, code):
    agency = agency_for(request, code, Perm.HANDLE_APPLICATIONS)
    form = RegisterForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            application, secret = intake.register(
                actor=request.user, agency=agency, data=form.applicant_data(), channel=form.cleaned_data["channel"],
                received_on=form.cleaned_data["received_on"], files=form.uploaded())
        except ServiceError as error:
            attach_service_error(form, error)
        else:
            # The secret is shown once, here; the receipt tells the applicant how to use it.
            messages.success(request, f"已登记并签发受理回执。查询码 {application.tracking_code}，查询密码 {secret}"
                                      "（只显示这一次，请告知申请人）。")
            return redirect("applications_staff:case", code=agency.code, application_id=application.pk)
    return render(request, "applications/staff/register.html", workspace(
        request, agency, section="applications", form=form, receipt_rules=RECEIPT_RULES,
    ))


def _case(agency, application_id) -> Application:
    return get_object_or_404(Application.objects.select_related("agency", "handler"), pk=application_id, agency=agency)


@login_required
def case(request, code, application_id):
    agency = agency_for(request, code, Perm.HANDLE_APPLICATIONS)
    application = _case(agency, application_id)
    handlers = [m.user for m in agency.memberships.select_related("user") if access.can(m.user, Perm.HANDLE_APPLICATIONS, agency)]
    calendar = clockkeeping.current_calendar()[0]
    state = clockkeeping.state_of(application, calendar)
    return render(request, "applications/staff/case.html", workspace(
        request, agency, section="applications", application=application, state=state,
        standing=standing(state, timezone.localdate(), calendar, is_open=application.is_open), today=timezone.localdate(),
        events=application.clock_events.select_related("actor"), notes=application.notes.select_related("author"),
        letters=application.letters.all(), files=application.files.all(), appeals=application.appeals.all(),
        similar=queries.similar_to(application), handlers=sorted(set(handlers), key=lambda u: u.username),
        id_masked=mask_id_number(application.id_number), phone_masked=mask_phone(application.phone),
        address_masked=mask_address(application.address),
        may_see_full=intake.may_see_personal_data(request.user, application),
        is_head=access.can(request.user, Perm.HEAD_APPLICATIONS, agency), reply_form=ReplyForm(),
        agencies=in_tree_order(Agency.objects.filter(is_active=True).exclude(pk=agency.pk)),
        appeal_kinds=Appeal.Kind.choices, appeal_outcomes=Appeal.Outcome.choices,
    ))


@login_required
@require_POST
def reveal(request, code, application_id):
    agency = agency_for(request, code, Perm.HANDLE_APPLICATIONS)
    application = _case(agency, application_id)
    try:
        data = intake.reveal_personal_data(actor=request.user, application=application)
    except PermissionDeniedError as error:
        raise PermissionDenied(error.message) from error
    return render(request, "applications/staff/personal.html", workspace(
        request, agency, section="applications", application=application, data=data))


class _Dates(forms.Form):
    date = forms.DateField(required=False)
    days = forms.IntegerField(required=False)


def _date(request, name):
    form = _Dates({"date": request.POST.get(name)})
    return form.cleaned_data["date"] if form.is_valid() else None


def _step_date(request):
    """The optional 办理日期 of a step recorded afterwards; empty means today. A value that is not a
    date is refused rather than taken as today."""
    raw = (request.POST.get("on") or "").strip()
    if not raw:
        return None
    form = _Dates({"date": raw})
    if not form.is_valid() or form.cleaned_data["date"] is None:
        raise ServiceError("STEP_DATE_INVALID", "办理日期格式不正确，请按年-月-日填写，如2026-01-05。", field="on")
    return form.cleaned_data["date"]


def _int(request, name):
    """An id or count from the form; None when missing, not a number or past a database integer."""
    try:
        value = int(request.POST.get(name, ""))
    except ValueError:
        return None
    return value if -(2**63) <= value < 2**63 else None


def _handler_id(request):
    """The chosen handler's id; "" (no one) stays None, anything else not an id is refused."""
    if not request.POST.get("handler"):
        return None
    if (value := _int(request, "handler")) is None:
        raise ServiceError("HANDLER_NOT_FOUND", "所选承办人不是本机关的工作人员，请重新选择。", field="handler")
    return value


def _member(application, user_id):
    if user_id is None:
        return None
    membership = application.agency.memberships.select_related("user").filter(user_id=user_id).first()
    if membership is None:
        raise ServiceError("HANDLER_NOT_FOUND", "所选承办人不是本机关的工作人员，请重新选择。", field="handler")
    return membership.user


ACTIONS = {
    "assign": ("已分配承办人。", lambda r, a: intake.assign(
        actor=r.user, application=a, handler=_member(a, _handler_id(r)))),
    "note": ("已添加备注。", lambda r, a: intake.add_note(actor=r.user, application=a, text=r.POST.get("text"))),
    "supervise": ("督办状态已更新。", lambda r, a: intake.supervise(
        actor=r.user, application=a, on=r.POST.get("on") == "1", note=r.POST.get("note", ""))),
    "correction": ("已生成补正告知书，请核对后签发。", lambda r, a: handling.request_correction(
        actor=r.user, application=a, items=r.POST.get("items"), deadline=_date(r, "deadline"), on=_step_date(r))),
    "correction_received": ("已登记收到补正，期限重新计算。", lambda r, a: handling.receive_correction(
        actor=r.user, application=a, text=r.POST.get("text"), on=_step_date(r))),
    "consult": ("已开始征求意见，期限暂停。", lambda r, a: handling.start_consultation(
        actor=r.user, application=a, party=r.POST.get("party"), co_agency=r.POST.get("co_agency") == "1",
        on=_step_date(r))),
    "consult_end": ("征求意见已结束，期限继续计算。", lambda r, a: handling.end_consultation(
        actor=r.user, application=a, outcome=r.POST.get("outcome"), on=_step_date(r))),
    "extend": ("已延期，请签发延期答复告知书。", lambda r, a: handling.extend(
        actor=r.user, application=a, days=_int(r, "days"), reason=r.POST.get("reason"), on=_step_date(r))),
    "delay": ("已确定延迟答复期限，请签发告知书。", lambda r, a: handling.set_delay(
        actor=r.user, application=a, until=_date(r, "until"), reason=r.POST.get("reason"))),
    "fee": ("已生成收费通知书，请核对后签发。", lambda r, a: handling.fee_notice(
        actor=r.user, application=a, method=r.POST.get("method"), quantity=_int(r, "quantity") or 0, on=_step_date(r))),
    "paid": ("已登记缴费。", lambda r, a: handling.record_payment(actor=r.user, application=a, paid_on=_date(r, "paid_on"))),
    "reply": ("已生成答复书草稿，请核对后签发；签发即办结。", lambda r, a: handling.decide_reply(
        actor=r.user, application=a, reply_type=r.POST.get("reply_type"), reason_code=r.POST.get("reason_code", ""),
        reason=r.POST.get("reason", ""))),
    "abandon": ("已按视为放弃办结。", lambda r, a: handling.close_abandoned(actor=r.user, application=a, why=r.POST.get("why"))),
    "transfer": ("已转办。", lambda r, a: intake.transfer(
        actor=r.user, application=a, to_agency=get_object_or_404(Agency, pk=_int(r, "to_agency")))),
    "appeal": ("已登记复议/诉讼。", lambda r, a: appeals.appeal_add(
        actor=r.user, application=a, kind=r.POST.get("kind"), body=r.POST.get("body"), filed_on=_date(r, "filed_on"),
        case_number=r.POST.get("case_number", ""))),
    "appeal_decide": ("已更新复议/诉讼结果。", lambda r, a: appeals.appeal_decide(
        actor=r.user, appeal=get_object_or_404(Appeal, pk=_int(r, "appeal"), application=a), outcome=r.POST.get("outcome"),
        decided_on=_date(r, "decided_on"), stage=r.POST.get("stage", ""))),
    "found": ("已添加检索到的文件。", lambda r, a: intake.add_found_files(
        actor=r.user, application=a, files=[(f.name, f.read()) for f in r.FILES.getlist("files")])),
}


@login_required
@require_POST
def act(request, code, application_id, action):
    agency = agency_for(request, code, Perm.HANDLE_APPLICATIONS)
    application = _case(agency, application_id)
    if action not in ACTIONS:
        raise Http404("unknown action")
    success, run = ACTIONS[action]
    return run_and_return(request, lambda: run(request, application), success, "applications_staff:case",
                          code=agency.code, application_id=application.pk)


@login_required
@require_POST
def issue(request, code, application_id, letter_id):
    agency = agency_for(request, code, Perm.HANDLE_APPLICATIONS)
    application = _case(agency, application_id)
    letter = get_object_or_404(Letter, pk=letter_id, application=application)
    return run_and_return(
        request, lambda: handling.issue_letter(actor=request.user, letter=letter, body=request.POST.get("body")),
        f"《{letter.title}》已签发，申请人可在查询页面查看。", "applications_staff:case",
        code=agency.code, application_id=application.pk)


@login_required
def letter_file(request, code, application_id, letter_id, fmt):
    agency = agency_for(request, code, Perm.HANDLE_APPLICATIONS)
    letter = get_object_or_404(Letter, pk=letter_id, application=_case(agency, application_id))
    if fmt not in ("pdf", "docx"):
        raise Http404("unknown format")
    from gongkai.applications import letters

    events.personal_data_read(actor=request.user, obj=letter.application, agency=agency, download=True,
                              note=f"下载文书《{letter.title}》（{fmt}）")
    if letter.issued_at:
        if not letters.files_ready(letter):  # rendered by a task after issue; a download never renders
            from gongkai.web.errors import not_ready

            return not_ready(request, letters.FILES_PENDING_MESSAGE)
        stored = getattr(letter, fmt)
        return FileResponse(stored.open("rb"), as_attachment=True, filename=f"{letter.title}.{fmt}")
    content = letters.render_pdf(letter) if fmt == "pdf" else letters.render_docx(letter)  # draft preview
    response = HttpResponse(content, content_type="application/pdf" if fmt == "pdf" else
                            "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Content-Disposition"] = f'attachment; filename="draft-{letter.pk}.{fmt}"'
    return response


@login_required
def application_file(request, code, application_id, file_id):
    agency = agency_for(request, code, Perm.HANDLE_APPLICATIONS)
    application = _case(agency, application_id)
    if not intake.may_see_personal_data(request.user, application):
        raise PermissionDenied("只有承办人和工作机构负责人可以查看申请人提交的材料。")
    stored = get_object_or_404(application.files, pk=file_id)
    events.personal_data_read(actor=request.user, obj=application, agency=agency, download=True,
                              note=f"下载申请人提交的材料“{stored.original_name}”")
    return FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.original_name)


@login_required
def ledger(request, code):
    agency = agency_for(request, code, Perm.HANDLE_APPLICATIONS)
    year = request.GET.get("year")
    if (year or "").isdigit() and not 2008 <= int(year) <= 2100:
        return render(request, "web/error.html", {"title": "年份有误", "code": 400,
                      "message": "台账年份应在2008年至2100年之间。"}, status=400)
    rows = queries.ledger(agency, year=int(year) if (year or "").isdigit() else None,
                          status=request.GET.get("status") or None, reply_type=request.GET.get("reply_type") or None,
                          applicant_type=request.GET.get("applicant_type") or None)
    if request.GET.get("format") == "xlsx":
        events.exported(actor=request.user, obj=agency, agency=agency, note=f"导出申请台账（{request.GET.urlencode()}）")
        return _ledger_xlsx(agency, rows)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    from gongkai.applications.replies import ApplicantType, ReplyType

    return render(request, "applications/staff/ledger.html", workspace(
        request, agency, section="ledger", page=page, statuses=Status.choices, reply_types=ReplyType.choices,
        applicant_types=ApplicantType.choices, query=request.GET.urlencode(), filters=request.GET,
    ))


LEDGER_COLUMNS = ["查询码", "收到日期", "申请方式", "申请人类型", "申请人", "所需信息", "状态", "承办人", "答复期限", "答复类型",
                  "办结日期", "收费（元）", "督办"]
LEDGER_WIDTHS = [13, 12, 10, 12, 20, 48, 12, 10, 12, 30, 12, 10, 6]


def _ledger_xlsx(agency, rows):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    from gongkai.web.xlsx_print import header_row, print_setup, set_widths

    book = Workbook(write_only=True)
    sheet = book.create_sheet("台账")
    # Set before the rows are streamed (write-only): widths that fit dates and names, a bold
    # frozen header with filters, landscape A4 fitted to the width with the header on every page.
    set_widths(sheet, LEDGER_WIDTHS)
    header_row(sheet, 1, len(LEDGER_COLUMNS), rows.count() + 1)
    print_setup(sheet, landscape=True, repeat_rows="1:1")
    bold = Font(bold=True)
    header = []
    for title in LEDGER_COLUMNS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for a in rows.iterator():
        sheet.append(safe_row([a.tracking_code, a.received_on, a.get_channel_display(), a.get_applicant_type_display(),
                      a.applicant_name, a.description[:200], a.get_status_display(),
                      (a.handler.get_full_name() or a.handler.username) if a.handler_id else "", a.due_on,
                      a.get_reply_type_display(), a.closed_on, a.fee_amount or 0, "是" if a.supervised else ""]))
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="ledger-{agency.code}-{timezone.localdate():%Y%m%d}.xlsx"'
    return response
