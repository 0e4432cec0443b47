"""Staff side of 意见征集: drafts, opening, moderation, offline comments and 采纳情况反馈."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.consultations import queries, rules, services
from gongkai.consultations.forms import (
    DISPOSITION_CHOICES,
    ConsultationForm,
    DecisionEntryForm,
    FinalItemForm,
    ReasonForm,
    RegisterCommentForm,
)
from gongkai.consultations.models import Comment, Consultation, DecisionCatalogueEntry, Moderation
from gongkai.disclosure.queries import public_items
from gongkai.errors import PermissionDeniedError, ServiceError
from gongkai.orgs.roles import Perm
from gongkai.web.actions import run_and_return
from gongkai.web.forms import attach_service_error
from gongkai.web.scope import agency_for
from gongkai.web.workspace import workspace

SECTION = "consultations"


def _consultation(agency, pk) -> Consultation:
    return get_object_or_404(Consultation.objects.select_related("agency", "final_item", "decision_entry"),
                             pk=pk, agency=agency)


@login_required
def consultation_list(request, code):
    agency = agency_for(request, code)
    today = timezone.localdate()
    consultations = list(Consultation.objects.filter(agency=agency).select_related("decision_entry").annotate(
        received=Count("comments"), pending=Count("comments", filter=Q(comments__moderation=Moderation.PENDING)),
    ).order_by("-starts_on", "-id")[:200])
    for consultation in consultations:
        consultation.phase_label = rules.PHASE_LABELS[rules.phase(consultation, today)]
    return render(request, "consultations/staff/list.html", workspace(
        request, agency, section=SECTION, consultations=consultations,
        queue_count=queries.moderation_queue(agency).count(),
        overdue=queries.feedback_overdue([agency.pk], today),
        entries=DecisionCatalogueEntry.objects.filter(agency=agency)[:100],
        entry_form=DecisionEntryForm(initial={"year": today.year}),
    ))


@login_required
def consultation_new(request, code):
    agency = agency_for(request, code, Perm.RUN_CONSULTATIONS)
    form = ConsultationForm(agency, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            consultation = services.consultation_create(actor=request.user, agency=agency, data=form.service_data(),
                                                        files=form.uploaded())
        except ServiceError as error:
            attach_service_error(form, error)
        else:
            messages.success(request, "已保存为草稿。核对无误后请发布征集。")
            return redirect("consultations_staff:detail", code=agency.code, pk=consultation.pk)
    return render(request, "consultations/staff/form.html", workspace(
        request, agency, section=SECTION, form=form, heading="发起意见征集"))


@login_required
def consultation_edit(request, code, pk):
    agency = agency_for(request, code, Perm.RUN_CONSULTATIONS)
    consultation = _consultation(agency, pk)
    form = ConsultationForm(agency, request.POST or None, request.FILES or None,
                            initial=ConsultationForm.initial_for(consultation))
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_update(actor=request.user, consultation=consultation, data=form.service_data(),
                                         files=form.uploaded(),
                                         remove_attachments=[int(x) for x in request.POST.getlist("remove") if x.isdigit()])
        except ServiceError as error:
            attach_service_error(form, error)
        else:
            messages.success(request, "草稿已保存。")
            return redirect("consultations_staff:detail", code=agency.code, pk=consultation.pk)
    return render(request, "consultations/staff/form.html", workspace(
        request, agency, section=SECTION, form=form, heading="修改征集草稿", consultation=consultation))


@login_required
def consultation_detail(request, code, pk):
    agency = agency_for(request, code)
    consultation = _consultation(agency, pk)
    today = timezone.localdate()
    phase = rules.phase(consultation, today)
    return render(request, "consultations/staff/detail.html", workspace(
        request, agency, section=SECTION, consultation=consultation, phase=phase,
        phase_label=rules.PHASE_LABELS[phase], comments=consultation.comments.all(),
        counts=queries.feedback_counts(consultation),
        feedback_due=rules.feedback_due_on(consultation.last_day) if consultation.status != "draft" else None,
        register_form=RegisterCommentForm(initial={"received_on": today}),
        final_form=FinalItemForm(initial={"index_number": consultation.final_item.index_number
                                          if consultation.final_item else ""}),
    ))


def _act(request, code, pk, action, success):
    agency = agency_for(request, code, Perm.RUN_CONSULTATIONS)
    consultation = _consultation(agency, pk)
    return run_and_return(request, lambda: action(consultation), success, "consultations_staff:detail",
                          code=agency.code, pk=consultation.pk)


@login_required
@require_POST
def consultation_open(request, code, pk):
    return _act(request, code, pk, lambda c: services.consultation_open(actor=request.user, consultation=c),
                "征集已发布，公众可在门户查看草案并提交意见。")


@login_required
@require_POST
def consultation_close(request, code, pk):
    reason = request.POST.get("reason", "")
    return _act(request, code, pk, lambda c: services.consultation_close(actor=request.user, consultation=c,
                                                                         reason=reason), "征集已提前结束。")


@login_required
@require_POST
def final_item(request, code, pk):
    agency = agency_for(request, code, Perm.RUN_CONSULTATIONS)
    index_number = (request.POST.get("index_number") or "").strip()
    item = None
    if index_number:
        item = public_items().filter(agency=agency, index_number=index_number).first()
        if item is None:
            messages.error(request, f"未找到本机关已主动公开、索引号为“{index_number}”的信息。")
            return redirect("consultations_staff:detail", code=agency.code, pk=pk)
    return _act(request, code, pk, lambda c: services.final_item_link(actor=request.user, consultation=c, item=item),
                "已关联正式文件。" if item else "已取消关联。")


@login_required
@require_POST
def comment_register(request, code, pk):
    agency = agency_for(request, code, Perm.RUN_CONSULTATIONS)
    consultation = _consultation(agency, pk)
    form = RegisterCommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, next(iter(form.errors.values()))[0])
        return redirect("consultations_staff:detail", code=agency.code, pk=pk)
    data = form.cleaned_data
    return run_and_return(
        request, lambda: services.comment_register(actor=request.user, consultation=consultation, data=data,
                                                   channel=data["channel"], received_on=data["received_on"]),
        "意见已登记。", "consultations_staff:detail", code=agency.code, pk=pk)


@login_required
def moderation_queue(request, code):
    agency = agency_for(request, code, Perm.RUN_CONSULTATIONS)
    return render(request, "consultations/staff/queue.html", workspace(
        request, agency, section=SECTION, comments=queries.moderation_queue(agency)))


@login_required
@require_POST
def comment_moderate(request, code, comment_id):
    agency = agency_for(request, code, Perm.RUN_CONSULTATIONS)
    comment = get_object_or_404(Comment.objects.select_related("consultation__agency"), pk=comment_id,
                                consultation__agency=agency)
    publish = request.POST.get("decision") == "publish"
    form = ReasonForm(request.POST)
    form.is_valid()
    back = request.POST.get("next") or "queue"
    to = ("consultations_staff:queue", {"code": agency.code}) if back == "queue" else \
        ("consultations_staff:detail", {"code": agency.code, "pk": comment.consultation_id})
    return run_and_return(request, lambda: services.comment_moderate(actor=request.user, comment=comment, publish=publish,
                                                                     reason=form.cleaned_data.get("reason", "")),
                          f"意见 {comment.receipt_code} 已{'公开' if publish else '不予公开'}。", to[0], **to[1])


@login_required
def feedback_edit(request, code, pk):
    agency = agency_for(request, code, Perm.RUN_CONSULTATIONS)
    consultation = _consultation(agency, pk)
    comments = list(consultation.comments.all())
    summary = consultation.feedback_summary
    if request.method == "POST":
        summary = request.POST.get("summary", "")
        dispositions = {c.pk: (request.POST.get(f"d-{c.pk}", ""), request.POST.get(f"r-{c.pk}", "")) for c in comments}
        publish = request.POST.get("publish") == "1"
        service = services.feedback_publish if publish else services.feedback_save
        try:
            service(actor=request.user, consultation=consultation, summary=summary, dispositions=dispositions)
        except PermissionDeniedError as error:
            raise PermissionDenied(error.message) from error
        except ServiceError as error:
            messages.error(request, error.message)
            for c in comments:  # show what was typed, not what is stored
                c.disposition, c.disposition_reason = dispositions[c.pk]
        else:
            messages.success(request, "采纳情况已发布。" if publish else "采纳情况已保存（尚未发布）。")
            return redirect("consultations_staff:detail", code=agency.code, pk=pk)
    return render(request, "consultations/staff/feedback.html", workspace(
        request, agency, section=SECTION, consultation=consultation, comments=comments, summary=summary,
        choices=DISPOSITION_CHOICES, counts=queries.feedback_counts(consultation)))


@login_required
@require_POST
def decision_entry_add(request, code):
    agency = agency_for(request, code, Perm.RUN_CONSULTATIONS)
    form = DecisionEntryForm(request.POST)
    if not form.is_valid():
        messages.error(request, next(iter(form.errors.values()))[0])
        return redirect("consultations_staff:list", code=agency.code)
    data = form.cleaned_data
    return run_and_return(request, lambda: services.decision_entry_add(actor=request.user, agency=agency, **data),
                          "已加入重大行政决策事项目录。", "consultations_staff:list", code=agency.code)
