"""The system administrator's page for the site's identity (网站标识, site_identity.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from gongkai.errors import ServiceError
from gongkai.orgs import access
from gongkai.portal import site_identity
from gongkai.portal.forms import SiteIdentityForm
from gongkai.web.forms import attach_service_error
from gongkai.web.scope import current_agency
from gongkai.web.workspace import workspace


@login_required
def site_identity_edit(request):
    if not access.is_system_admin(request.user):
        raise PermissionDenied("只有系统管理员可以修改网站标识。")
    identity = site_identity.current()
    form = SiteIdentityForm(request.POST or None, initial={name: getattr(identity, name) for name in site_identity.FIELDS})
    if request.method == "POST" and form.is_valid():
        try:
            site_identity.site_identity_update(actor=request.user, changes=form.cleaned_data)
        except ServiceError as error:
            attach_service_error(form, error)
        else:
            messages.success(request, "已保存网站标识，门户各页即时生效。")
            return redirect("portal_staff:site_identity")
    return render(request, "staff/form_page.html", workspace(
        request, current_agency(request), section="site_identity", form=form, heading="网站标识与备案信息",
        submit_label="保存",
    ))
