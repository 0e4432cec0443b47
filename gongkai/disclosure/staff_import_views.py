"""信息导入 on the staff desk: upload an item file, see its preview, confirm (item_upload.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gongkai.disclosure import item_upload
from gongkai.disclosure.forms import ItemFileForm
from gongkai.errors import ServiceError
from gongkai.orgs.roles import Perm
from gongkai.web.forms import attach_service_error
from gongkai.web.scope import agency_for
from gongkai.web.workspace import workspace


@login_required
def import_upload(request, code):
    agency = agency_for(request, code, Perm.MANAGE_PUBLISHED)
    form = ItemFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            digest = item_upload.stage(form.cleaned_data["file"], actor=request.user)
        except ServiceError as error:
            attach_service_error(form, error)
        else:
            return redirect("disclosure_staff:import_preview", code=agency.code, digest=digest)
    return render(request, "disclosure/staff/import_upload.html", workspace(
        request, agency, section="items", form=form, columns=item_upload.columns_described(),
    ))


def _staged(request, digest):
    path = item_upload.staged_file(request.user, digest)
    if path is None:
        raise Http404("no such upload")
    return path


@login_required
def import_preview(request, code, digest):
    agency = agency_for(request, code, Perm.MANAGE_PUBLISHED)
    result = item_upload.preview(_staged(request, digest), actor=request.user)
    return render(request, "disclosure/staff/import_preview.html", workspace(
        request, agency, section="items", preview=result,
    ))


@login_required
@require_POST
def import_confirm(request, code, digest):
    agency_for(request, code, Perm.MANAGE_PUBLISHED)
    item_upload.start(_staged(request, digest), actor=request.user)
    messages.success(request, "已开始导入。导入在后台进行，本页显示进度；导入前会再次检查整个文件。")
    return redirect("jobs:list")
