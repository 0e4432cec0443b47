from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.errors import ServiceError
from gongkai.orgs import access, services
from gongkai.orgs.models import Membership
from gongkai.orgs.roles import Perm
from gongkai.staff.forms import GrantRoleForm, PersonCreateForm, SetPasswordForm
from gongkai.web.actions import run_and_return
from gongkai.web.forms import attach_service_error
from gongkai.web.scope import agency_for
from gongkai.web.workspace import workspace

User = get_user_model()


def _people_agency(request, code):
    """The people pages serve those who manage people and the 安全管理员, who grants roles."""
    perm = Perm.GRANT_ROLES if access.can(request.user, Perm.GRANT_ROLES) else Perm.MANAGE_PEOPLE
    return agency_for(request, code, perm)


def _person_in(agency, user_id):
    """A person is reachable through an agency only while they hold a role there."""
    return get_object_or_404(User.objects.filter(memberships__agency=agency).distinct(), pk=user_id)


@login_required
def people_list(request, code):
    agency = _people_agency(request, code)
    people = (
        User.objects.filter(memberships__agency=agency).distinct().order_by("username")
        .prefetch_related("memberships__agency")
    )
    rows = [(person, [m for m in person.memberships.all() if m.agency_id == agency.pk]) for person in people]
    return render(request, "staff/people_list.html", workspace(request, agency, section="people", rows=rows))


@login_required
def person_new(request, code):
    agency = agency_for(request, code, Perm.MANAGE_PEOPLE)
    form = PersonCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.user_create(actor=request.user, agency=agency, **form.cleaned_data)
        except ServiceError as error:
            attach_service_error(form, error)
        else:
            messages.success(request, f"已建立账号“{person.username}”。")
            return redirect("staff:person", code=agency.code, user_id=person.pk)
    return render(request, "staff/form_page.html", workspace(
        request, agency, section="people", form=form, heading=f"新增人员：{agency.name}", submit_label="建立账号",
    ))


@login_required
def person_detail(request, code, user_id):
    agency = _people_agency(request, code)
    person = _person_in(agency, user_id)
    memberships = person.memberships.select_related("agency").order_by("agency__path", "role")
    return render(request, "staff/person_detail.html", workspace(
        request, agency, section="people", person=person, memberships=memberships,
        grant_form=GrantRoleForm(), password_form=SetPasswordForm(),
        may_manage=services.can_manage_user(request.user, person),
        may_reset_second_factor=access.can(request.user, Perm.MANAGE_SECURITY),
    ))


def _run(request, agency, person, action, success: str):
    return run_and_return(request, action, success, "staff:person", code=agency.code, user_id=person.pk)


@login_required
@require_POST
def person_grant_role(request, code, user_id):
    agency = _people_agency(request, code)
    person = _person_in(agency, user_id)
    form = GrantRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择要授予的角色。")
        return redirect("staff:person", code=agency.code, user_id=person.pk)
    role = form.cleaned_data["role"]
    return _run(request, agency, person,
                lambda: services.role_grant(actor=request.user, user=person, agency=agency, role=role),
                "角色已授予。")


@login_required
@require_POST
def person_revoke_role(request, code, user_id, membership_id):
    agency = _people_agency(request, code)
    person = _person_in(agency, user_id)
    membership = get_object_or_404(Membership, pk=membership_id, user=person, agency=agency)
    return _run(request, agency, person,
                lambda: services.role_revoke(actor=request.user, membership=membership), "角色已撤销。")


@login_required
@require_POST
def person_set_active(request, code, user_id):
    agency = agency_for(request, code, Perm.MANAGE_PEOPLE)
    person = _person_in(agency, user_id)
    active = request.POST.get("active") == "1"
    return _run(request, agency, person,
                lambda: services.user_set_active(actor=request.user, user=person, active=active, agency=agency),
                "账号已启用。" if active else "账号已停用。")


@login_required
@require_POST
def person_set_password(request, code, user_id):
    agency = agency_for(request, code, Perm.MANAGE_PEOPLE)
    person = _person_in(agency, user_id)
    form = SetPasswordForm(request.POST)
    password = form.data.get("password", "")
    return _run(request, agency, person,
                lambda: services.user_set_password(actor=request.user, user=person, password=password, agency=agency),
                "密码已重置，请通知本人登录后修改。")
