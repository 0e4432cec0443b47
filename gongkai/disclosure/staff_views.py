"""Staff side of proactive disclosure: drafting, review with PII masking, published items."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.disclosure import interpretations, queries, responses, services, timeliness, workflow
from gongkai.disclosure.catalogue import settings_for
from gongkai.disclosure.forms import CommentForm, ItemForm, ValidityForm
from gongkai.disclosure.models import ConcernResponse, Item, Status
from gongkai.errors import PermissionDeniedError, ServiceError
from gongkai.orgs import access
from gongkai.orgs.roles import Perm
from gongkai.web.actions import run_and_return
from gongkai.web.forms import attach_service_error
from gongkai.web.scope import agency_for
from gongkai.web.workspace import workspace

TABS = {
    "drafts": "草稿",
    "review": "待我审核",
    "in_review": "审核中",
    "published": "已发布",
    "registered": "已登记（不主动公开）",
    "withdrawn": "已撤回",
}


@login_required
def item_list(request, code):
    agency = agency_for(request, code)
    tab = request.GET.get("tab", "drafts")
    if tab not in TABS:
        tab = "drafts"
    if tab == "review":
        items = queries.awaiting_review_by(request.user, agency)
    elif tab == "drafts":
        items = queries.drafts_of(agency)
    else:
        items = queries.search_staff_items(agency, request.GET.get("q")).filter(status=tab).order_by("-updated_at")
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    return render(request, "disclosure/staff/item_list.html", workspace(
        request, agency, section="items", tabs=TABS, tab=tab, page=page, q=request.GET.get("q", ""),
        review_count=queries.awaiting_review_by(request.user, agency).count(),
    ))


@login_required
def item_new(request, code):
    agency = agency_for(request, code, Perm.DRAFT)
    settings_for(agency)
    form = ItemForm(agency, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_create(actor=request.user, agency=agency, data=form.service_data(), files=form.uploaded(),
                                        concern=form.concern_data())
        except ServiceError as error:
            attach_service_error(form, error)
        else:
            messages.success(request, "已保存为草稿。核对无误后请提交审核。")
            return redirect("disclosure_staff:item", code=agency.code, item_id=item.pk)
    return render(request, "disclosure/staff/item_form.html", workspace(
        request, agency, section="items", form=form, heading="登记政府信息",
    ))


def _item(agency, item_id) -> Item:
    return get_object_or_404(Item.objects.select_related("catalogue_node", "topic", "genre", "interprets"),
                             pk=item_id, agency=agency)


@login_required
def item_edit(request, code, item_id):
    agency = agency_for(request, code)
    item = _item(agency, item_id)
    form = ItemForm(agency, request.POST or None, request.FILES or None, initial=ItemForm.initial_for(item))
    if request.method == "POST" and form.is_valid():
        removed = [int(x) for x in request.POST.getlist("remove_attachment") if x.isdigit()]
        try:
            services.item_update(actor=request.user, item=item, data=form.service_data(), files=form.uploaded(),
                                 remove_attachments=removed, concern=form.concern_data())
        except PermissionDeniedError as error:
            raise PermissionDenied(error.message) from error
        except ServiceError as error:
            attach_service_error(form, error)
        else:
            messages.success(request, "已保存。")
            return redirect("disclosure_staff:item", code=agency.code, item_id=item.pk)
    return render(request, "disclosure/staff/item_form.html", workspace(
        request, agency, section="items", form=form, heading=f"修改：{item.title}", item=item,
    ))


@login_required
def item_detail(request, code, item_id):
    agency = agency_for(request, code)
    item = _item(agency, item_id)
    levels = settings_for(agency).review_levels
    may_review = item.status == Status.IN_REVIEW and access.can(
        request.user, workflow.perm_for(levels, item.review_level), agency)
    findings = services.pii_findings(item) if item.status == Status.IN_REVIEW else []
    concern = ConcernResponse.objects.filter(item=item).select_related("item").first()
    return render(request, "disclosure/staff/item_detail.html", workspace(
        request, agency, section="items", item=item, levels=levels,
        level_label=workflow.label_for(levels, item.review_level) if item.review_level else "",
        may_review=may_review, may_draft=access.can(request.user, Perm.DRAFT, agency),
        may_manage_published=access.can(request.user, Perm.MANAGE_PUBLISHED, agency),
        findings=findings, pii_cleared=item.pii_cleared_fingerprint == services._public_fingerprint(item),
        decisions=item.decisions.select_related("actor"), versions=item.versions.all()[:10],
        comment_form=CommentForm(), validity_form=ValidityForm(initial={"validity": item.validity}),
        interpretations=interpretations.by_form(item.interpretations.filter(status=Status.PUBLISHED)),
        concern=concern, concern_timing=responses.timing(concern) if concern else None,
        conferences=item.press_conferences.all(),
    ))


def _act(request, agency, item, action, success: str):
    return run_and_return(request, action, success, "disclosure_staff:item", code=agency.code, item_id=item.pk)


def _post_action(name):
    """Wraps a POST-only action on one item of one agency."""

    def decorator(func):
        @login_required
        @require_POST
        def view(request, code, item_id):
            agency = agency_for(request, code)
            item = _item(agency, item_id)
            return func(request, agency, item)

        view.__name__ = name
        return view

    return decorator


@_post_action("item_submit")
def item_submit(request, agency, item):
    return _act(request, agency, item, lambda: services.item_submit(actor=request.user, item=item), "已提交审核。")


@_post_action("item_approve")
def item_approve(request, agency, item):
    comment = request.POST.get("comment", "")
    level = request.POST.get("level", "")
    expected = int(level) if level.isdigit() else None
    return _act(request, agency, item, lambda: services.item_approve(
        actor=request.user, item=item, comment=comment, expected_level=expected), "审核通过。")


@_post_action("item_reopen")
def item_reopen(request, agency, item):
    return _act(request, agency, item, lambda: services.item_reopen(actor=request.user, item=item),
                "已转为草稿，修改后请重新提交审核。")


@_post_action("item_return")
def item_return(request, agency, item):
    comment = request.POST.get("comment", "")
    return _act(request, agency, item, lambda: services.item_return(actor=request.user, item=item, comment=comment),
                "已退回起草人。")


@_post_action("item_mask")
def item_mask(request, agency, item):
    kinds = set(request.POST.getlist("kind")) or None  # validated against the known kinds by the service
    return _act(request, agency, item, lambda: services.item_mask_pii(actor=request.user, item=item, kinds=kinds),
                "已对正文去标识化，原文保留在内部。")


@_post_action("item_clear_pii")
def item_clear_pii(request, agency, item):
    note = request.POST.get("note", "")
    return _act(request, agency, item, lambda: services.item_clear_pii(actor=request.user, item=item, note=note),
                "已记录核实结果。")


@_post_action("item_withdraw")
def item_withdraw(request, agency, item):
    reason = request.POST.get("reason", "")
    return _act(request, agency, item, lambda: services.item_withdraw(actor=request.user, item=item, reason=reason),
                "已撤回，该信息不再在门户显示。")


@_post_action("item_validity")
def item_validity(request, agency, item):
    form = ValidityForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择有效性并填写正确的日期。")
        return redirect("disclosure_staff:item", code=agency.code, item_id=item.pk)
    return _act(request, agency, item, lambda: services.item_set_validity(
        actor=request.user, item=item, validity=form.cleaned_data["validity"], on_date=form.cleaned_data["on_date"]),
        "有效性已更新。")


@login_required
def attachment_download(request, code, item_id, attachment_id):
    agency = agency_for(request, code)
    item = _item(agency, item_id)
    attachment = get_object_or_404(item.attachments, pk=attachment_id)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)


@login_required
def timeliness_dashboard(request, code):
    agency = agency_for(request, code)
    from django.utils import timezone

    year = timezone.localdate().year
    on_time, total = timeliness.on_time_share(agency, year=year)
    return render(request, "disclosure/staff/timeliness.html", workspace(
        request, agency, section="timeliness", late=timeliness.published_late(agency)[:50],
        pending=timeliness.pending_near_limit(agency), year=year, on_time=on_time, total=total,
        limit=timeliness.LIMIT_WORKING_DAYS,
    ))
