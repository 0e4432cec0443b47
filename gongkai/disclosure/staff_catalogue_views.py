from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.disclosure import catalogue, guide
from gongkai.disclosure.models import CatalogueNode
from gongkai.errors import ServiceError
from gongkai.orgs.roles import Perm
from gongkai.web.forms import attach_service_error
from gongkai.web.scope import agency_for
from gongkai.web.workspace import workspace


class NodeForm(forms.Form):
    name = forms.CharField(label="分类名称", max_length=50)
    code = forms.CharField(label="分类代码", max_length=30, help_text="英文字母或数字，用于网址，建立后不再修改")
    parent = forms.ModelChoiceField(label="上级分类", queryset=CatalogueNode.objects.none(), required=False,
                                    empty_label="（作为一级分类）")
    sort_order = forms.IntegerField(label="排序", initial=100, min_value=0, max_value=100_000)


class GuideForm(forms.Form):
    review_levels = forms.ChoiceField(label="发布前审核级数", choices=[
        (1, "一级：复审（保密审查）"), (2, "二级：初审＋复审（保密审查）"), (3, "三级：初审＋复审＋工作机构审核")])
    text = forms.CharField(label="指南补充说明", widget=forms.Textarea(attrs={"rows": 10}), required=False,
                           help_text="如依申请公开的办理流程说明、收费说明等。分类、编排体系和联系方式由系统根据本机构信息自动生成。")


@login_required
def catalogue_editor(request, code):
    agency = agency_for(request, code, Perm.EDIT_AGENCY)
    catalogue.ensure_catalogue(agency)
    form = NodeForm(request.POST or None)
    form.fields["parent"].queryset = CatalogueNode.objects.filter(agency=agency, parent__isnull=True)
    if request.method == "POST" and form.is_valid():
        try:
            catalogue.node_create(actor=request.user, agency=agency, **form.cleaned_data)
        except ServiceError as error:
            attach_service_error(form, error)
        else:
            messages.success(request, f"已新增分类“{form.cleaned_data['name']}”。")
            return redirect("disclosure_staff:catalogue", code=agency.code)
    return render(request, "disclosure/staff/catalogue.html", workspace(
        request, agency, section="catalogue", tree=catalogue.catalogue_tree(agency), form=form,
    ))


@login_required
@require_POST
def catalogue_node_edit(request, code, node_id):
    agency = agency_for(request, code, Perm.EDIT_AGENCY)
    node = get_object_or_404(CatalogueNode, pk=node_id, agency=agency)
    try:
        sort_order = int(request.POST.get("sort_order") or node.sort_order)
        if not 0 <= sort_order <= 100_000:
            raise ValueError("sort order out of range")
        catalogue.node_rename(actor=request.user, node=node, name=request.POST.get("name", ""), sort_order=sort_order)
        messages.success(request, "分类已修改。")
    except (ServiceError, ValueError) as error:
        messages.error(request, getattr(error, "message", "排序应为0至100000的整数。"))
    return redirect("disclosure_staff:catalogue", code=agency.code)


@login_required
@require_POST
def catalogue_node_delete(request, code, node_id):
    agency = agency_for(request, code, Perm.EDIT_AGENCY)
    node = get_object_or_404(CatalogueNode, pk=node_id, agency=agency)
    try:
        catalogue.node_delete(actor=request.user, node=node)
        messages.success(request, f"已删除分类“{node.name}”。")
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect("disclosure_staff:catalogue", code=agency.code)


@login_required
def guide_editor(request, code):
    agency = agency_for(request, code, Perm.EDIT_AGENCY)
    settings = catalogue.settings_for(agency)
    form = GuideForm(request.POST or None, initial={"text": settings.guide_text, "review_levels": settings.review_levels})
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # both changes or neither
                levels = int(form.cleaned_data["review_levels"])
                if levels != settings.review_levels:
                    guide.review_levels_update(actor=request.user, agency=agency, levels=levels)
                guide.guide_update(actor=request.user, agency=agency, text=form.cleaned_data["text"])
        except ServiceError as error:
            attach_service_error(form, error)
        else:
            messages.success(request, "指南与设置已保存。")
            return redirect("disclosure_staff:guide", code=agency.code)
    return render(request, "disclosure/staff/guide.html", workspace(
        request, agency, section="guide", form=form, **guide.guide_context(agency),
    ))
