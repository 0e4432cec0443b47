"""Staff pages of 新闻发布会 records: the agency's list, a new record, edit and delete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.disclosure import conferences
from gongkai.disclosure.forms import PressConferenceForm
from gongkai.disclosure.models import PressConference
from gongkai.errors import PermissionDeniedError, ServiceError
from gongkai.orgs import access
from gongkai.orgs.roles import Perm
from gongkai.web.actions import run_and_return
from gongkai.web.forms import attach_service_error
from gongkai.web.scope import agency_for
from gongkai.web.workspace import workspace


@login_required
def conference_list(request, code):
    agency = agency_for(request, code)
    return render(request, "disclosure/staff/conferences.html", workspace(
        request, agency, section="items", conferences=conferences.conferences_of(agency)[:200],
        may_edit=access.can(request.user, Perm.REVIEW_SECOND, agency),
    ))


def _form_page(request, agency, conference=None):
    initial = PressConferenceForm.initial_for(conference) if conference else None
    form = PressConferenceForm(agency, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if conference is None:
                conferences.conference_create(actor=request.user, agency=agency, data=form.service_data())
            else:
                conferences.conference_update(actor=request.user, conference=conference, data=form.service_data())
        except PermissionDeniedError as error:
            raise PermissionDenied(error.message) from error
        except ServiceError as error:
            attach_service_error(form, error)
        else:
            messages.success(request, "新闻发布会记录已保存，已在门户公开。")
            return redirect("disclosure_staff:conferences", code=agency.code)
    return render(request, "disclosure/staff/conference_form.html", workspace(
        request, agency, section="items", form=form, conference=conference,
        heading=f"修改：{conference.topic}" if conference else "登记新闻发布会",
    ))


@login_required
def conference_new(request, code):
    return _form_page(request, agency_for(request, code, Perm.REVIEW_SECOND))


@login_required
def conference_edit(request, code, conference_id):
    agency = agency_for(request, code, Perm.REVIEW_SECOND)
    return _form_page(request, agency, get_object_or_404(PressConference, pk=conference_id, agency=agency))


@login_required
@require_POST
def conference_delete(request, code, conference_id):
    agency = agency_for(request, code)
    conference = get_object_or_404(PressConference, pk=conference_id, agency=agency)
    reason = request.POST.get("reason", "")
    return run_and_return(request, lambda: conferences.conference_delete(actor=request.user, conference=conference,
                                                                         reason=reason),
                          "已删除该新闻发布会记录。", "disclosure_staff:conferences", code=agency.code)
