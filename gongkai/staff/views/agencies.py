from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.errors import ServiceError
from gongkai.orgs import access, services
from gongkai.orgs.models import InternalUnit
from gongkai.orgs.roles import Perm
from gongkai.orgs.tree import in_tree_order
from gongkai.staff.forms import AgencyCreateForm, AgencyEditForm, AreaForm, UnitForm
from gongkai.web.forms import attach_service_error
from gongkai.web.scope import agency_for, current_agency
from gongkai.web.workspace import workspace


@login_required
def agency_list(request):
    agencies = in_tree_order(access.agencies_visible_to(request.user).select_related("area"))
    return render(request, "staff/agency_list.html", workspace(
        request, current_agency(request), section="agencies", agencies=agencies,
        may_create=access.can(request.user, Perm.CREATE_AGENCY),
    ))


def _require_system_admin(request):
    if not access.can(request.user, Perm.CREATE_AGENCY):
        raise PermissionDenied("只有系统管理员可以新建机构和区划。")


@login_required
def agency_new(request):
    _require_system_admin(request)
    form = AgencyCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agency = services.agency_create(actor=request.user, **data)
        except ServiceError as error:
            attach_service_error(form, error)
        else:
            messages.success(request, f"已新建机构“{agency.name}”。")
            return redirect("staff:agency", code=agency.code)
    return render(request, "staff/form_page.html", workspace(
        request, current_agency(request), section="agencies", form=form, heading="新建机构", submit_label="新建",
    ))


@login_required
def area_new(request):
    _require_system_admin(request)
    form = AreaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            area = services.area_create(actor=request.user, **form.cleaned_data)
        except ServiceError as error:
            attach_service_error(form, error)
        else:
            messages.success(request, f"已新建行政区划“{area.name}”。")
            return redirect("staff:agency_list")
    return render(request, "staff/form_page.html", workspace(
        request, current_agency(request), section="agencies", form=form, heading="新建行政区划", submit_label="新建",
    ))


@login_required
def agency_overview(request, code):
    agency = agency_for(request, code)
    children = access.agencies_visible_to(request.user).filter(parent=agency).order_by("sort_order", "code")
    return render(request, "staff/agency_overview.html", workspace(
        request, agency, section="agency", office=agency.office, units=agency.units.all(), children=children,
        members=agency.memberships.select_related("user").order_by("user__username", "role"),
        unit_form=UnitForm(),
    ))


@login_required
def agency_edit(request, code):
    agency = agency_for(request, code, Perm.EDIT_AGENCY)
    office = agency.office
    initial = {"name": agency.name, "short_name": agency.short_name, "description": agency.description,
               "is_active": agency.is_active}
    initial |= {f"office_{f}": getattr(office, f) for f in services.OFFICE_FIELDS}
    form = AgencyEditForm(request.POST or None, initial=initial)
    if not access.can(request.user, Perm.CREATE_AGENCY):
        del form.fields["is_active"]  # taking an agency off the portal is a platform decision
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_update(actor=request.user, agency=agency, changes=form.agency_changes(),
                                   office=form.office_changes())
        except ServiceError as error:
            attach_service_error(form, error)
        else:
            messages.success(request, "机构信息已保存。")
            return redirect("staff:agency", code=agency.code)
    return render(request, "staff/form_page.html", workspace(
        request, agency, section="agency", form=form, heading=f"编辑机构信息：{agency.name}", submit_label="保存",
    ))


@login_required
@require_POST
def unit_add(request, code):
    agency = agency_for(request, code, Perm.EDIT_AGENCY)
    form = UnitForm(request.POST)
    if form.is_valid():
        try:
            services.unit_create(actor=request.user, agency=agency, **form.cleaned_data)
            messages.success(request, f"已添加科室“{form.cleaned_data['name']}”。")
        except ServiceError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, "请填写科室名称。")
    return redirect("staff:agency", code=agency.code)


@login_required
@require_POST
def unit_remove(request, code, unit_id):
    agency = agency_for(request, code, Perm.EDIT_AGENCY)
    unit = get_object_or_404(InternalUnit, pk=unit_id, agency=agency)
    services.unit_delete(actor=request.user, unit=unit)
    messages.success(request, f"已删除科室“{unit.name}”。")
    return redirect("staff:agency", code=agency.code)
