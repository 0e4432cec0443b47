"""Staff editor for an agency's letter wording (模板), with a preview on sample data."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from gongkai.applications import letter_defaults, letters
from gongkai.applications.letters import style
from gongkai.applications.models import LetterKind, LetterTemplate
from gongkai.errors import ServiceError
from gongkai.orgs.roles import Perm
from gongkai.web.scope import agency_for
from gongkai.web.workspace import workspace


@login_required
def template_list(request, code):
    agency = agency_for(request, code, Perm.EDIT_AGENCY)
    own = {t.kind: t for t in LetterTemplate.objects.filter(agency=agency)}
    rows = [(kind, label, kind in own and bool(own[kind].body), letters.prefix_for(agency, kind))
            for kind, label in LetterKind.choices]
    return render(request, "applications/staff/templates.html", workspace(
        request, agency, section="letter_templates", rows=rows, style=style.style_of(agency)))


@login_required
def letter_style(request, code):
    """文号机关代字 and the electronic seal (letters/style.py); shown on the templates page."""
    agency = agency_for(request, code, Perm.EDIT_AGENCY)
    if request.method != "POST":
        return redirect("applications_staff:templates", code=agency.code)
    upload = request.FILES.get("seal")
    try:
        style.style_update(actor=request.user, agency=agency, number_code=request.POST.get("number_code", ""),
                           seal=(upload.name, upload.read()) if upload else None,
                           remove_seal=request.POST.get("remove_seal") == "1")
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "文书设置已保存，此后签发的文书将使用新的文号前缀和印章；已签发的文书不变。")
    return redirect("applications_staff:templates", code=agency.code)


@login_required
def template_edit(request, code, kind):
    agency = agency_for(request, code, Perm.EDIT_AGENCY)
    if kind not in LetterKind.values:
        raise Http404("unknown letter kind")
    current = LetterTemplate.objects.filter(agency=agency, kind=kind).first()
    body = current.body if current and current.body else letter_defaults.BODIES[kind]
    prefix = current.number_prefix if current else ""
    preview, error = None, None
    if request.method == "POST":
        body, prefix = request.POST.get("body", ""), request.POST.get("number_prefix", "").strip()
        try:
            if "preview" in request.POST:
                preview = letters.preview(agency, kind, body=body)
            else:
                letters.template_update(actor=request.user, agency=agency, kind=kind, body=body, number_prefix=prefix)
                messages.success(request, "模板已保存，此后生成的文书将使用新的写法。")
                return redirect("applications_staff:template", code=agency.code, kind=kind)
        except ServiceError as exc:
            error = exc.message
    elif request.GET.get("reset") == "1":
        body = letter_defaults.BODIES[kind]
    return render(request, "applications/staff/template_edit.html", workspace(
        request, agency, section="letter_templates", kind=kind, label=LetterKind(kind).label, body=body,
        prefix=prefix, preview=preview or letters.preview(agency, kind), error=error,
        default_prefix=letters.prefix_for(agency, kind),
    ))
