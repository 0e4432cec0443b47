"""The 安全管理员's page for the platform roles (三权分立: 系统管理员, 审计管理员, 安全管理员).

The rules live in orgs.services (role_grant, role_revoke): only the holder of Perm.GRANT_ROLES
grants or revokes them, nobody grants themselves or revokes their own, one account holds at most
one of them; each change is one audit row. This page only finds the account and calls them.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.errors import PermissionDeniedError, ServiceError
from gongkai.orgs import access, services
from gongkai.orgs.models import Membership
from gongkai.orgs.roles import PLATFORM_ROLES, Perm, Role
from gongkai.staff.forms import PlatformRoleForm
from gongkai.web.actions import run_and_return
from gongkai.web.forms import attach_service_error
from gongkai.web.scope import current_agency
from gongkai.web.workspace import workspace

User = get_user_model()


def _require_security_admin(request):
    if not access.can(request.user, Perm.GRANT_ROLES):
        raise PermissionDenied("只有安全管理员可以授予和撤销平台角色。")


def _holders():
    return (Membership.objects.filter(agency__isnull=True, role__in=PLATFORM_ROLES)
            .select_related("user").order_by("role", "user__username"))


@login_required
def platform_roles(request):
    _require_security_admin(request)
    form = PlatformRoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"].strip()
        person = User.objects.filter(username__iexact=username).first()
        if person is None:
            form.add_error("username", f"没有用户名为“{username}”的账号，请核对后重新输入。")
        elif not person.is_active:
            form.add_error("username", f"账号“{person.username}”已停用，请先由系统管理员启用。")
        else:
            try:
                services.role_grant(actor=request.user, user=person, agency=None, role=form.cleaned_data["role"])
            except PermissionDeniedError as error:  # a grant to oneself: refused and recorded like every 403
                raise PermissionDenied(error.message) from error
            except ServiceError as error:
                attach_service_error(form, error)
            else:
                messages.success(request, f"已授予 {person.username} {Role(form.cleaned_data['role']).label}角色。")
                return redirect("staff:platform_roles")
    return render(request, "staff/platform_roles.html", workspace(
        request, current_agency(request), section="platform_roles", form=form, holders=_holders(),
    ))


@login_required
@require_POST
def platform_role_revoke(request, membership_id):
    _require_security_admin(request)
    membership = get_object_or_404(Membership, pk=membership_id, agency__isnull=True, role__in=PLATFORM_ROLES)
    return run_and_return(request, lambda: services.role_revoke(actor=request.user, membership=membership),
                          f"已撤销 {membership.user.username} 的{membership.get_role_display()}角色。", "staff:platform_roles")
