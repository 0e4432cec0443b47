"""The staff workbench for messages: the inbox with reply limits, one message with every action."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.enquiries import queries, services
from gongkai.enquiries.forms import ConvertForm, RegisterForm
from gongkai.enquiries.models import Enquiry, Faq, RefusalReason
from gongkai.errors import ServiceError
from gongkai.fieldcrypt import mask_phone
from gongkai.orgs import access
from gongkai.orgs.models import Agency
from gongkai.orgs.roles import Perm
from gongkai.orgs.tree import in_tree_order
from gongkai.web.actions import run_and_return
from gongkai.web.forms import attach_service_error
from gongkai.web.scope import agency_for
from gongkai.web.workspace import workspace

LISTS = {"open": "待办", "closed": "已办结", "all": "全部"}


@login_required
def inbox(request, code):
    agency = agency_for(request, code, Perm.ANSWER_ENQUIRIES)
    key = request.GET.get("list", "open")
    key = key if key in LISTS else "open"
    today = timezone.localdate()
    page = Paginator(queries.inbox(agency, key), 30).get_page(request.GET.get("page"))
    overdue_ids = set(queries.enquiries_overdue([agency.pk], today).values_list("pk", flat=True))
    return render(request, "enquiries/staff/inbox.html", workspace(
        request, agency, section="enquiries", page=page, current=key, tabs=LISTS.items(), overdue_ids=overdue_ids,
        overdue_count=len(overdue_ids), today=today,
        long_count=queries.enquiries_unanswered_long([agency.pk], today).count()))


@login_required
def register(request, code):
    agency = agency_for(request, code, Perm.ANSWER_ENQUIRIES)
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enquiry, secret = services.register(actor=request.user, agency=agency, data=form.cleaned_data,
                                                received_on=form.cleaned_data["received_on"],
                                                channel=form.cleaned_data["channel"])
        except ServiceError as error:
            attach_service_error(form, error)
        else:
            # Shown once, here: staff pass the code and secret on to the asker.
            messages.success(request, f"已登记留言。查询码 {enquiry.tracking_code}，查询密码 {secret}（只显示这一次，请告知留言人）。")
            return redirect("enquiries_staff:message", code=agency.code, pk=enquiry.pk)
    return render(request, "enquiries/staff/register.html", workspace(request, agency, section="enquiries", form=form))


def _message(agency, pk) -> Enquiry:
    return get_object_or_404(Enquiry.objects.select_related("agency", "handler", "transferred_from", "application"),
                             pk=pk, agency=agency)


@login_required
def message(request, code, pk):
    agency = agency_for(request, code, Perm.ANSWER_ENQUIRIES)
    enquiry = _message(agency, pk)
    handlers = sorted({m.user for m in agency.memberships.select_related("user")
                       if access.can(m.user, Perm.ANSWER_ENQUIRIES, agency)}, key=lambda u: u.username)
    return render(request, "enquiries/staff/message.html", workspace(
        request, agency, section="enquiries", enquiry=enquiry, handlers=handlers, today=timezone.localdate(),
        phone_masked=mask_phone(enquiry.phone), refusal_reasons=RefusalReason.choices, convert_form=ConvertForm(),
        agencies=in_tree_order(Agency.objects.filter(is_active=True).exclude(pk=agency.pk)),
        faqs=enquiry.faqs.all()))


def _handler(request, enquiry):
    raw = request.POST.get("handler") or ""
    if not raw:
        return None
    membership = enquiry.agency.memberships.select_related("user").filter(user_id=raw if raw.isdigit() else None).first()
    if membership is None:
        raise ServiceError("HANDLER_NOT_FOUND", "所选承办人不是本机关的工作人员，请重新选择。", field="handler")
    return membership.user


def _to_agency(request):
    raw = request.POST.get("to_agency") or ""
    return Agency.objects.filter(pk=raw, is_active=True).first() if raw.isdigit() else None


def _convert(request, enquiry):
    form = ConvertForm(request.POST)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        raise ServiceError("CONVERT_FORM_INVALID", errors[0], field=field)
    application, _secret = services.convert(actor=request.user, enquiry=enquiry, data=form.cleaned_data)
    return application


ACTIONS = {
    "assign": ("已分办。", lambda r, e: services.assign(actor=r.user, enquiry=e, handler=_handler(r, e))),
    "answer": ("已答复。", lambda r, e: services.answer(
        actor=r.user, enquiry=e, text=r.POST.get("answer"), personal=r.POST.get("personal") == "1",
        personal_reason=r.POST.get("personal_reason", ""))),
    "refuse": ("已作不予受理答复，留言人可在查询页面看到理由。", lambda r, e: services.refuse(
        actor=r.user, enquiry=e, reason=r.POST.get("reason", ""), text=r.POST.get("text", ""))),
    "transfer": ("已转办。", lambda r, e: services.transfer(
        actor=r.user, enquiry=e, to_agency=_to_agency(r), note=r.POST.get("note", ""))),
    "faq": ("已加入常见问题。", lambda r, e: services.faq_add(
        actor=r.user, enquiry=e, question=r.POST.get("question"), answer=r.POST.get("faq_answer"))),
    "convert": ("已转为政府信息公开申请，收到申请日期为留言的受理日期。", _convert),
}


@login_required
@require_POST
def act(request, code, pk, action):
    agency = agency_for(request, code, Perm.ANSWER_ENQUIRIES)
    enquiry = _message(agency, pk)
    if action not in ACTIONS:
        raise Http404("unknown action")
    success, run = ACTIONS[action]
    # After a transfer the message belongs to another agency: back to the inbox, not to its page.
    if action == "transfer":
        return run_and_return(request, lambda: run(request, enquiry), success, "enquiries_staff:inbox", code=agency.code)
    return run_and_return(request, lambda: run(request, enquiry), success, "enquiries_staff:message",
                          code=agency.code, pk=enquiry.pk)


@login_required
def faqs(request, code):
    """The agency's 常见问题 as the public sees them, each with its edit and remove forms."""
    agency = agency_for(request, code, Perm.ANSWER_ENQUIRIES)
    return render(request, "enquiries/staff/faqs.html", workspace(
        request, agency, section="enquiries", faqs=queries.faqs_for_agency(agency).select_related("source", "added_by")))


@login_required
@require_POST
def faq_edit(request, code, faq_id):
    agency = agency_for(request, code, Perm.ANSWER_ENQUIRIES)
    faq = get_object_or_404(Faq, pk=faq_id, agency=agency)
    return run_and_return(request, lambda: services.faq_update(
        actor=request.user, faq=faq, question=request.POST.get("question"), answer=request.POST.get("faq_answer")),
        "已修改常见问题。", "enquiries_staff:faqs", code=agency.code)


@login_required
@require_POST
def faq_remove(request, code, faq_id):
    agency = agency_for(request, code, Perm.ANSWER_ENQUIRIES)
    faq = get_object_or_404(Faq, pk=faq_id, agency=agency)
    return run_and_return(request, lambda: services.faq_remove(
        actor=request.user, faq=faq, reason=request.POST.get("reason")),
        "已删除该常见问题。", "enquiries_staff:faqs", code=agency.code)
