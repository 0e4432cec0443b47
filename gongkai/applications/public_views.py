"""The applicant's side: apply, get a tracking code, follow the case, answer a 补正 request."""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.applications import clockkeeping, handling, intake, mailing
from gongkai.applications.forms import ApplicationForm, CorrectionForm, TrackForm
from gongkai.applications.models import Application, Letter
from gongkai.errors import ServiceError
from gongkai.fieldcrypt import mask_id_number, mask_phone
from gongkai.orgs.queries import area_tree_with_agencies, public_agencies
from gongkai.pii.masking import mask_email
from gongkai.web.forms import attach_service_error
from gongkai.web.ratelimit import allow

# Letters addressed to someone else (the consulted third party) are not the applicant's to read.
NOT_FOR_APPLICANT = ["third_party"]
TRACKED = "gk_tracked"  # application ids this browser has proved the secret for
JUST_SUBMITTED = "gk_just_submitted"


def choose_agency(request):
    return render(request, "applications/choose_agency.html", {"areas": area_tree_with_agencies(), "nav": "apply"})


def apply(request, code):
    agency = get_object_or_404(public_agencies(), code=code.upper())
    form = ApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        # Every attempt counts, a refused one too: it costs the server the same (its uploads were
        # received and checked), and otherwise bad files could be sent without end.
        if not allow(request, "apply", limit=settings.GONGKAI_APPLY_PER_HOUR, window_seconds=3600):
            form.add_error(None, "提交过于频繁，请一小时后再试。如需帮助，请联系该机关的政府信息公开工作机构。")
        elif form.is_valid():
            try:
                application, secret = intake.submit_online(agency=agency, data=form.applicant_data(), files=form.uploaded(),
                                                           submission_key=form.cleaned_data["submission_key"])
            except ServiceError as error:
                attach_service_error(form, error)
            else:
                _remember(request, application)
                # No secret: the same form was submitted again (one application, its secret shown the first time).
                request.session[JUST_SUBMITTED] = {"id": application.pk, "secret": secret}
                return redirect("apply:submitted", code=application.tracking_code)
    return render(request, "applications/apply.html", {"agency": agency, "form": form, "nav": "apply"})


def submitted(request, code):
    application = _tracked(request, code)
    just = request.session.pop(JUST_SUBMITTED, None)
    just = just if just and just["id"] == application.pk else None
    secret = just["secret"] if just else None
    return render(request, "applications/submitted.html", {
        "application": application, "secret": secret, "nav": "apply", "resubmitted": bool(just and not secret),
        "mail_state": mailing.code_mail_state(application), "masked_email": mask_email(application.email) if application.email else "",
    })


def track(request):
    form = TrackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not allow(request, "track", limit=settings.GONGKAI_TRACK_PER_HOUR, window_seconds=3600):
            form.add_error(None, "查询过于频繁，请稍后再试。")
        else:
            application = intake.find_by_code(form.cleaned_data["code"], form.cleaned_data["secret"])
            if application is None:
                form.add_error(None, "查询码或查询密码不正确。")
            else:
                _remember(request, application)
                return redirect("apply:status", code=application.tracking_code)
    return render(request, "applications/track.html", {"form": form, "nav": "track"})


def _remember(request, application):
    ids = set(request.session.get(TRACKED, []))
    ids.add(application.pk)
    request.session[TRACKED] = sorted(ids)


def _tracked(request, code) -> Application:
    application = Application.objects.select_related("agency", "agency__office").filter(tracking_code=code.upper()).first()
    if application is None or application.pk not in request.session.get(TRACKED, []):
        raise Http404("not tracked in this session")
    return application


def status(request, code):
    application = _tracked(request, code)
    moved = Application.objects.filter(transferred_from=application).first()
    if moved:  # proving the secret of the old case is proof enough for the case it moved to
        _remember(request, moved)
    return render(request, "applications/status.html", {
        "application": application, "state": clockkeeping.state_of(application), "moved": moved, "nav": "track",
        "letters": application.letters.filter(issued_at__isnull=False).exclude(kind__in=NOT_FOR_APPLICANT),
        "id_masked": mask_id_number(application.id_number), "phone_masked": mask_phone(application.phone),
        "correction_form": CorrectionForm(),
    })


@require_POST
def correction(request, code):
    application = _tracked(request, code)
    form = CorrectionForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, (form.errors.get("files") or ["请填写补正内容。"])[0])
    else:
        try:
            handling.receive_correction(application=application, text=form.cleaned_data["text"],
                                        files=[(f.name, f.read()) for f in form.cleaned_data["files"] or []])
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "补正材料已提交，答复期限自今日重新计算。")
    return redirect("apply:status", code=application.tracking_code)


def letter_download(request, code, letter_id, fmt):
    application = _tracked(request, code)
    if fmt not in ("pdf", "docx"):
        raise Http404("unknown format")
    letter = get_object_or_404(Letter.objects.exclude(kind__in=NOT_FOR_APPLICANT), pk=letter_id, application=application,
                               issued_at__isnull=False)
    from gongkai.applications.letters import FILES_PENDING_MESSAGE, files_ready
    from gongkai.web.errors import not_ready

    if not files_ready(letter):  # rendered by a task after issue; a download never renders
        return not_ready(request, FILES_PENDING_MESSAGE)
    stored = letter.pdf if fmt == "pdf" else letter.docx
    return FileResponse(stored.open("rb"), as_attachment=True, filename=f"{letter.title}.{fmt}")
